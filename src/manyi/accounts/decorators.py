"""View-level access: every view says who may open it.

Object-level checks live in selectors (another organisation's object is a 404). The access
matrix test (tests/test_access_matrix.py) checks every URL against what these declare.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from manyi.accounts.access import has_role


def role_required(*roles: str):
    """Anonymous people are sent to log in; people without one of `roles` get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access_roles = roles
        return wrapper

    return decorator


def login_required(view):
    """Any logged-in person (each view then scopes what it shows)."""
    return role_required()(view)


def public(view):
    """Open to everyone, including anonymous visitors."""
    view.access_public = True
    return view
