"""Unit names as documents write them resolve to the registry: exact, alias, normalised, group, or not at all."""

from __future__ import annotations

import pytest

from tasks.importing.resolve import Registry, normalise_name, resolve_name
from tasks.parsing.units import split_names
from tests.factories import AliasFactory, UnitFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db


def test_exact_registry_name_resolves_to_the_unit(registry_units):
    assert resolve_name("测试市司法局", Registry.load()) == registry_units["sfj"]


def test_alias_resolves_to_its_unit(registry_units):
    assert resolve_name("市政府办", Registry.load()) == registry_units["zfb"]


def test_alias_of_a_group_resolves_to_the_group(registry_units):
    AliasFactory(name="市各有关部门", unit=None, group=registry_units["group"])
    assert resolve_name("市各有关部门", Registry.load()) == registry_units["group"]


def test_collective_name_resolves_to_the_unit_group(registry_units):
    registry = Registry.load()
    assert resolve_name("市政府各有关部门", registry) == registry_units["group"]
    assert resolve_name("各区镇", registry) == registry_units["towns"]


@pytest.mark.parametrize("written", ["测试市 司法局", "测试市司法局\u3000", "测 试 市\t司法局", " 测试市司法局\n"])
def test_spaces_anywhere_in_a_name_are_ignored(registry_units, written):
    assert resolve_name(written, Registry.load()) == registry_units["sfj"]


def test_full_width_and_half_width_forms_match():
    unit = UnitFactory(name="测试市12345热线办公室")
    group = UnitGroupFactory(name="A类单位")
    registry = Registry.load()
    assert resolve_name("测试市１２３４５热线办公室", registry) == unit
    assert resolve_name("Ａ类单位", registry) == group


def test_normalised_alias_matches(registry_units):
    assert resolve_name("市 政府 办", Registry.load()) == registry_units["zfb"]


def test_unique_short_name_resolves_but_a_shared_one_does_not(registry_units):
    UnitFactory(name="测试县公安局", short_name="公安局")
    registry = Registry.load()
    assert resolve_name("司法局", registry) == registry_units["sfj"]
    assert resolve_name("公安局", registry) is None


def test_unknown_name_is_unresolved(registry_units):
    registry = Registry.load()
    assert resolve_name("测试市不存在局", registry) is None
    assert resolve_name("", registry) is None


def test_registry_name_wins_over_an_alias_spelled_the_same_after_normalising(registry_units):
    other = UnitFactory(name="测试市司法 局")  # a sloppy duplicate someone typed into the registry
    registry = Registry.load()
    assert resolve_name("测试市司法局", registry) == registry_units["sfj"]
    assert resolve_name("测试市司法 局", registry) == other


def test_registry_loads_in_a_constant_number_of_queries(django_assert_num_queries, registry_units):
    for n in range(30):
        AliasFactory(name=f"测试别名{n}", unit=registry_units["sfj"])
    with django_assert_num_queries(3):
        registry = Registry.load()
    with django_assert_num_queries(0):
        for n in range(30):
            assert resolve_name(f"测试别名{n}", registry) == registry_units["sfj"]


def test_normalise_name_folds_width_and_whitespace():
    assert normalise_name("（测试）市 司法局\u3000") == "(测试)市司法局"


def test_split_names_accepts_every_separator_documents_use():
    assert split_names("市司法局、市公安局，各区镇,市财政局;市审计局；市统计局") == [
        "市司法局", "市公安局", "各区镇", "市财政局", "市审计局", "市统计局",
    ]
    assert split_names(" 、市司法局、、 市司法局 ") == ["市司法局"]


def test_the_standard_short_form_of_an_official_name_resolves_through_the_name_or_an_alias():
    health = UnitFactory(name="测试市卫生健康委员会")
    ndrc = UnitFactory(name="测试市发改委")
    AliasFactory(name="测试市发展和改革委员会", unit=ndrc, group=None)
    registry = Registry.load()
    assert resolve_name("测试市卫生健康委", registry) == health
    assert resolve_name("测试市发展改革委", registry) == ndrc
    assert resolve_name("测试市 发展改革委员会", registry) == ndrc


def test_a_short_form_shared_by_two_units_resolves_to_neither():
    UnitFactory(name="测试市教育和体育委员会")
    UnitFactory(name="测试市教育与体育委")
    assert resolve_name("测试市教育体育委", Registry.load()) is None
