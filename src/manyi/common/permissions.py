"""One rule per action, pretalx-style: a `rules` predicate that the service, the view and the
template all ask, so a button is never shown that would be refused and a check is never written
twice.

An action is a list of requirements, each a predicate ``(user, obj)`` with the words a person is
told when it fails. ``allows`` answers yes or no (views and templates); ``require`` raises the
first failing requirement's refusal (services). The combined predicate is also registered with
``rules`` under the action's name, so ``{% has_perm %}`` and ``user.has_perm`` agree with both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Requirement:
    predicate: rules.Predicate
    refusal: Callable[[object], Exception]


class Action:
    def __init__(self, name: str, *requirements: tuple[rules.Predicate, Callable]):
        self.name = name
        self.requirements = tuple(Requirement(p, refusal) for p, refusal in requirements)
        self.predicate = reduce(and_, (r.predicate for r in self.requirements))
        rules.add_perm(name, self.predicate)

    def allows(self, user, obj) -> bool:
        return bool(self.predicate.test(user, obj))

    def require(self, user, obj) -> None:
        """Raise the refusal of the first requirement that `user` does not meet for `obj`."""
        for requirement in self.requirements:
            if not requirement.predicate.test(user, obj):
                raise requirement.refusal(obj)

    def __repr__(self) -> str:
        return f"Action({self.name!r})"


def flags(user, obj, actions: dict[str, Action]) -> dict[str, bool]:
    """Template flags (``{"can_edit": True, …}``) from the same actions the services enforce."""
    return {flag: action.allows(user, obj) for flag, action in actions.items()}


def not_allowed(_obj=None) -> Exception:
    """The refusal of a requirement about who the person is (their role, their organisation)."""
    return PermissionDenied(_("您无权进行此操作"))
