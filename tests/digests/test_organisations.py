"""Direct tests of digests.quotes.organisations: which body "the union", "the agency", an acronym
or a bare name refers to, without going through quote extraction."""

from __future__ import annotations

from digests.quotes.names import NameIndex
from digests.quotes.organisations import Organisations

TEXT = (
    "The Federal Trade Commission opened an inquiry. The FTC said on Monday it would act. "
    "Game Workers Quebec, a union that represents developers, objected. "
    "Vantor Tools makes drills. Vantor said the rules would hurt."
)


def _orgs(text: str = TEXT) -> Organisations:
    return Organisations(text, NameIndex.build(text, None), lambda name: False)


def test_acronym_expands_to_the_name_the_article_spells_out() -> None:
    orgs = _orgs()
    assert orgs.expand_acronym("FTC") == "Federal Trade Commission"
    assert orgs.expand_acronym("XYZ") is None


def test_the_union_is_the_body_introduced_as_a_union() -> None:
    assert _orgs().body("union", len(TEXT)) == "Game Workers Quebec"


def test_the_agency_is_the_last_commission_named_before_it() -> None:
    assert _orgs().body("agency", TEXT.index("Game")) == "Federal Trade Commission"


def test_a_short_name_resolves_to_its_fullest_form() -> None:
    orgs = _orgs()
    assert orgs.fullest("Vantor") == "Vantor Tools"
    assert orgs.org_like("Vantor Tools")
