"""Matching unit names as documents write them to the registry (units, unit groups, aliases)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from tasks.cachekeys import registry_version
from tasks.models import Alias, Unit, UnitGroup
from tasks.parsing.normalize import to_simplified

Target = Unit | UnitGroup

_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The comparison form of a name: NFKC (full/half width), no whitespace at all, simplified characters."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _SPACE.sub("", text)
    return to_simplified(text)


# The standard short forms of official names (the State Council's usage): "和" / "与" dropped inside the name and
# "委员会" shortened to "委", so 市发展改革委 meets 市发展和改革委员会 and 市卫生健康委 meets 市卫生健康委员会.
_LOOSE_DROP = re.compile(r"[和与]")


def loose_name(name: str) -> str:
    """A looser comparison form for the last try: the normalised name in its standard short form."""
    return _LOOSE_DROP.sub("", normalise_name(name).replace("委员会", "委"))


@dataclass
class Registry:
    """Every unit, group and alias, loaded once per import so resolution costs a fixed number of queries."""

    exact: dict[str, Target] = field(default_factory=dict)
    normalised: dict[str, Target] = field(default_factory=dict)
    loose: dict[str, Target] = field(default_factory=dict)  # only short forms that point to one target
    units: list[Unit] = field(default_factory=list)
    groups: list[UnitGroup] = field(default_factory=list)
    # What pages derive from the whole registry (option lists), computed once per loaded registry.
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def current(cls) -> Registry:
        """The registry as of ``registry_version()``, loaded once per process and version (thousands of units:
        the import preview paid ≈ 60 ms a request to load and normalise them). For reading only: code that
        teaches it names (``add``, the import services) loads its own copy."""
        global _CURRENT
        version = registry_version()  # read before loading: a change during the load moves it again
        memo = _CURRENT
        if memo is not None and memo[0] == version:
            return memo[1]
        registry = cls.load()
        _CURRENT = (version, registry)
        return registry

    def derive(self, name: str, compute):
        """``compute()`` once per registry (e.g. an option list every unresolved name offers)."""
        if name not in self.derived:
            self.derived[name] = compute()
        return self.derived[name]

    @classmethod
    def load(cls) -> Registry:
        registry = cls()
        registry.units = list(Unit.objects.order_by("order", "name"))
        registry.groups = list(UnitGroup.objects.order_by("order", "name"))
        aliases = list(Alias.objects.all())
        units_by_id = {u.pk: u for u in registry.units}
        groups_by_id = {g.pk: g for g in registry.groups}

        # Priority, highest first: registry name, alias, then the same two in normalised form,
        # then a unit's short name when no other unit shares it (ambiguous short names never match).
        for target in [*registry.units, *registry.groups]:
            registry.exact.setdefault(target.name, target)
        alias_targets: list[tuple[str, Target]] = []
        for alias in aliases:
            target = units_by_id.get(alias.unit_id) if alias.unit_id else groups_by_id.get(alias.group_id)
            if target is not None:
                alias_targets.append((alias.name, target))
                registry.exact.setdefault(alias.name, target)
        for target in [*registry.units, *registry.groups]:
            registry.normalised.setdefault(normalise_name(target.name), target)
        for name, target in alias_targets:
            registry.normalised.setdefault(normalise_name(name), target)
        short_names: dict[str, list[Unit]] = {}
        for unit in registry.units:
            if unit.short_name:
                short_names.setdefault(normalise_name(unit.short_name), []).append(unit)
        for key, units in short_names.items():
            if len(units) == 1:
                registry.normalised.setdefault(key, units[0])
        loose: dict[str, set] = {}
        for name, target in [*((t.name, t) for t in [*registry.units, *registry.groups]), *alias_targets]:
            loose.setdefault(loose_name(name), set()).add(target)
        registry.loose = {key: next(iter(targets)) for key, targets in loose.items() if len(targets) == 1}
        return registry

    def add(self, name: str, target: Target) -> None:
        """Teach the registry a new name (a unit just created, an alias just saved)."""
        self.exact[name] = target
        self.normalised.setdefault(normalise_name(name), target)
        if self.loose.get(loose_name(name), target) != target:
            del self.loose[loose_name(name)]  # the short form now means two things: it no longer resolves
        if isinstance(target, Unit) and target not in self.units:
            self.units.append(target)

    def next_order(self) -> int:
        return max((u.order for u in self.units), default=0) + 1

    def unit_by_id(self, pk: int) -> Unit | None:
        return next((u for u in self.units if u.pk == pk), None)

    def group_by_id(self, pk: int) -> UnitGroup | None:
        return next((g for g in self.groups if g.pk == pk), None)


_CURRENT: tuple[int, Registry] | None = None


def resolve_name(name: str, registry: Registry) -> Target | None:
    """The unit or group ``name`` means: exact name, alias, normalised form, or the standard short form
    (``loose_name``, when it points to one unit or group only); ``None`` when unknown."""
    name = (name or "").strip()
    if not name:
        return None
    found = registry.exact.get(name)
    if found is not None:
        return found
    found = registry.normalised.get(normalise_name(name))
    if found is not None:
        return found
    return registry.loose.get(loose_name(name))
