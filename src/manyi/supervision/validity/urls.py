"""URL patterns of supervision/validity (included by supervision/urls.py, namespace "supervision")."""

urlpatterns: list = []

# The hub's door to this part: (label, url name, what it is for, [(words, overview count key)]),
# or None when the part has no staff page of its own.
SECTION = None
