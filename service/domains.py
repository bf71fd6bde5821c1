"""PLACEHOLDER until the lead's service/domains.py lands on main (replaced at merge)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Ref = str
EventHook = Callable[["Session", Any], object]


@dataclass(frozen=True)
class Domain:
    name: str
    on_events: Mapping[str, tuple[Ref, ...]] = field(default_factory=dict)


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "notifications",
        on_events={
            "workflow.transition": ("service.notifications.hooks:on_transition",),
            "public.reply": ("service.notifications.hooks:on_public_reply",),
            "todo.remind": ("service.notifications.hooks:after_remind",),
        },
    ),
)


def resolve(ref: Ref) -> Any:
    module, _, attribute = ref.partition(":")
    return getattr(import_module(module), attribute)


@dataclass(frozen=True)
class Composition:
    event_hooks: Mapping[str, tuple[tuple[str, EventHook], ...]]

    def emit(self, session: Session, name: str, event: object) -> list[object]:
        return [hook(session, event) for _n, hook in self.event_hooks.get(name, ())]


@lru_cache
def compose() -> Composition:
    hooks: dict[str, list[tuple[str, EventHook]]] = {}
    for d in DOMAINS:
        for name, refs in d.on_events.items():
            hooks.setdefault(name, []).extend((f"{d.name}:{r}", resolve(r)) for r in refs)
    return Composition({k: tuple(v) for k, v in hooks.items()})
