"""Speaker attribution rules, each on a hand-written snippet (no corpus text).

Every test names the pattern it covers; together with ``test_quotes.py`` they pin down
what a reader sees as the speaker under a quote.
"""

from __future__ import annotations

from digests.models import Quote
from digests.quotes import extract_quotes


def by_start(quotes: tuple[Quote, ...], start: str) -> Quote:
    hits = [q for q in quotes if q.text.startswith(start)]
    assert hits, f"no quote starting {start!r} in {[q.text for q in quotes]}"
    return hits[0]


def speaker_of(text: str, start: str, title: str | None = None) -> str | None:
    return by_start(extract_quotes(text, title=title), start).speaker


# -- names --------------------------------------------------------------------------------


def test_appositive_between_name_and_verb_and_the_quote_stays_one() -> None:
    text = (
        "“I like how open they are about their plans,” Mira Kovacs, a romance author on the "
        "platform, wrote in an email. “What they missed is how much readers dislike it.”"
    )
    quotes = extract_quotes(text)
    assert len(quotes) == 1
    assert quotes[0].speaker == "Mira Kovacs"
    assert quotes[0].text.endswith("how much readers dislike it.")


def test_appositive_with_an_organisation_inside_still_names_the_person() -> None:
    text = (
        "“Every large model was trained on pirated books,” Jo Park, the head of the Writers "
        "Union, says."
    )
    assert speaker_of(text, "Every large model") == "Jo Park"


def test_accented_surname_and_is_quoted_as_saying() -> None:
    text = (
        "Two researchers, Pablo Gómez and Ann Lee, built the tool.\n\n"
        "“This is a fantastic use of the archive,” Gómez is quoted as saying in the release. "
        "“We found hundreds of new objects.”"
    )
    quotes = extract_quotes(text)
    assert len(quotes) == 1 and quotes[0].speaker == "Pablo Gómez"


def test_particles_and_title_words_that_are_surnames() -> None:
    text = (
        "“We will defend our rules in every forum we can,” Commission President Ursula von der "
        "Leyen said.\n\n"
        "Cloudflare CEO Matthew Prince disagreed. “Bots will outnumber people online soon,” "
        "Prince said."
    )
    assert speaker_of(text, "We will defend") == "Ursula von der Leyen"
    assert speaker_of(text, "Bots will outnumber") == "Matthew Prince"


def test_nickname_in_quotes_inside_a_name() -> None:
    text = (
        "Greg “Joz” Joswiak leads marketing.\n\n"
        "Joswiak joked that reports of the store’s death “may have been greatly exaggerated.”"
    )
    assert speaker_of(text, "may have been greatly") == "Greg Joswiak"


def test_one_letter_typo_in_a_surname_resolves_to_the_person() -> None:
    text = (
        "Keith Coleman runs the notes team.\n\n"
        "Cleman also noted that it is “a new way to make the models smarter over time.”"
    )
    assert speaker_of(text, "a new way to make") == "Keith Coleman"


def test_title_then_comma_then_name() -> None:
    text = (
        "“This data contrasts with reports of falling traffic,” writes Acme VP and Head of "
        "Search, Lena Ruiz, in a blog post."
    )
    assert speaker_of(text, "This data contrasts") == "Lena Ruiz"


def test_company_whose_name_starts_like_a_first_name() -> None:
    text = (
        "Waymo says its Waymo Driver is ready. Waymo expanded to Phoenix in May.\n\n"
        "“Deliveries start this week in the east valley,” Waymo said."
    )
    assert speaker_of(text, "Deliveries start this") == "Waymo"


def test_lower_case_brand_is_a_speaker() -> None:
    text = (
        "The posts followed a change which xAI said was due to an “update to a code path upstream.”"
    )
    assert speaker_of(text, "update to a code") == "xAI"


# -- organisations and documents -----------------------------------------------------------


def test_the_post_and_the_announcement_speak_for_the_company() -> None:
    title = "Fabrikam says hackers reached its CRM"
    text = (
        "Fabrikam confirmed the breach on Monday. Fabrikam has 9,000 staff.\n\n"
        "“We acted quickly to cut the access and added safeguards,” the post reads.\n\n"
        "“This covers the costs that would otherwise fall on customers,” the announcement says."
    )
    assert speaker_of(text, "We acted quickly", title) == "Fabrikam"
    assert speaker_of(text, "This covers the costs", title) == "Fabrikam"


def test_named_group_and_epithet() -> None:
    title = "Valve answers the lawsuit over its boxes"
    text = (
        "Valve responded on Thursday. Valve runs Steam.\n\n"
        "In a report, the Video Games Europe group said the plan would “raise the costs of "
        "making games.” The Steam maker essentially said, “See you in court then.”"
    )
    assert speaker_of(text, "raise the costs", title) == "Video Games Europe"
    assert speaker_of(text, "See you in court", title) == "Valve"


def test_according_to_later_in_the_sentence() -> None:
    text = (
        "Nielsen rated the show “the most-watched reality series this year” for weeks in a row, "
        "according to NBCUniversal."
    )
    assert speaker_of(text, "the most-watched reality") == "NBCUniversal"


def test_the_united_states_is_not_a_speech_verb() -> None:
    text = (
        "In the suit, Fabrikam argued that the ban — the first in the United States — is "
        "“far broader than any law needs to be.”"
    )
    assert speaker_of(text, "far broader than") == "Fabrikam"


def test_a_name_owned_by_a_thing_is_not_the_speaker() -> None:
    title = "Meta ends encryption on Instagram DMs"
    text = (
        "Meta made the change quietly. Meta owns Messenger.\n\n"
        "A support page for Messenger currently states that the company “is still securing "
        "personal messages by default.”"
    )
    assert speaker_of(text, "is still securing", title) != "Messenger"


# -- pronouns and implicit attribution -----------------------------------------------------


def test_pronoun_skips_names_after_prepositions_in_its_own_sentence() -> None:
    text = (
        "Jeff Wang became interim CEO after Varun Mohan’s departure. In his post, he offered "
        "sympathy to Mohan and Doug Chen, who he said faced a situation that “must have been "
        "difficult for them as well.”"
    )
    assert speaker_of(text, "must have been difficult") == "Jeff Wang"


def test_sentence_opening_he_is_the_previous_sentences_subject() -> None:
    text = (
        "Christian Kroll, CEO of Ecosia, saw it coming soon after Donald Trump’s reelection. "
        "“We just need to make sure that nobody can blackmail us.” He added that “if access "
        "were cut tomorrow, we would be back to phone books.”"
    )
    assert speaker_of(text, "We just need to") == "Christian Kroll"
    assert speaker_of(text, "if access were cut") == "Christian Kroll"


def test_whole_sentence_quote_after_a_sentence_about_him() -> None:
    text = (
        "Sam Rivera posted about it on Monday.\n\n"
        "He then analysed his reasoning. “I think a lot of things are going on at once here.”\n\n"
        "But he also made it clear that most people should not try this.\n\n"
        "“If you are any good at engineering, you are probably not funny.”"
    )
    assert speaker_of(text, "I think a lot") == "Sam Rivera"
    assert speaker_of(text, "If you are any") == "Sam Rivera"


def test_it_at_sentence_start_is_the_company_of_the_previous_sentence() -> None:
    text = (
        "Kobo’s new terms say the company will not train models on books. It does, however, "
        "reserve the right to use “machine learning or similar technologies” on them."
    )
    assert speaker_of(text, "machine learning or") == "Kobo"


def test_reported_speech_continues_into_the_next_sentence() -> None:
    text = (
        "To start, Waymo says that deliveries will be limited to one store. Eventually, though, "
        "deliveries will “include more local merchants and a wider variety of offerings.”"
    )
    assert speaker_of(text, "include more local") == "Waymo"


def test_sole_named_subject_of_the_quotes_sentence() -> None:
    text = (
        "Mark Zuckerberg runs Meta. When Meta launched the app, Mark Zuckerberg set a goal of "
        "making it “a public conversations app with a billion people on it.”"
    )
    assert speaker_of(text, "a public conversations") == "Mark Zuckerberg"


def test_list_items_after_including_keep_the_source() -> None:
    text = (
        "Kobo’s terms say so. It reserves the right to “read, analyze, and process” writing "
        "for several purposes, including:\n\n"
        "“Generating resources” like “creating keywords and promotional content for books”\n\n"
        "“Providing recaps, reading assistance and accessibility features”"
    )
    assert speaker_of(text, "creating keywords") == "Kobo"
    assert speaker_of(text, "Providing recaps") == "Kobo"


def test_a_new_clause_after_a_quote_is_not_its_attribution() -> None:
    text = (
        "In a statement, Stephen Coates said the petition was “based on well-established "
        "trademark law” and that he believes the startup will prevail. “They abandoned the "
        "mark and we will be successful.”"
    )
    quotes = extract_quotes(text)
    assert by_start(quotes, "based on well-established").speaker == "Stephen Coates"
    assert by_start(quotes, "They abandoned the mark")  # still its own quote


def test_no_cue_no_company_no_person_stays_unattributed() -> None:
    text = (
        "The vape ad found me on Friday.\n\n"
        "It arrived over chat with a photo and the words “every hit delivers free Bitcoin” on it."
    )
    assert speaker_of(text, "every hit delivers") is None


# -- titles of works and labels ------------------------------------------------------------


def test_report_titles_and_on_screen_labels_are_not_quotes() -> None:
    text = (
        "Consumers want a human touch, according to Capgemini’s research “What matters to "
        "consumers in 2026.”\n\n"
        "The channel has a section labeled “Event Schedule: Sky Sports” for race weekends."
    )
    assert extract_quotes(text) == ()


def test_attribution_closing_a_sentence_covers_its_earlier_quotes() -> None:
    text = (
        "As part of the “expanded Cash App Families experience,” parents can open accounts that "
        "offer “a dedicated place to send allowances and track spending,” Cash App says."
    )
    quotes = extract_quotes(text)
    assert {q.speaker for q in quotes} == {"Cash App"} and len(quotes) == 2


def test_role_phrase_before_a_colon() -> None:
    text = "Cupertino marketing executives have branded the suite: “AI for the rest of us.”"
    assert speaker_of(text, "AI for the rest") == "Cupertino marketing executives"


def test_a_titled_document_is_the_speaker_not_the_words_of_its_title() -> None:
    text = (
        "The letter, titled “We Will Not Be Divided,” calls on both companies to “put aside "
        "their differences and refuse the demands.” These are lines that Dario Amodei has said "
        "should not be crossed."
    )
    assert speaker_of(text, "put aside their") == "The letter"


def test_media_of_an_organisation_speaks_for_it() -> None:
    title = "How to watch the Fabrikam keynote"
    text = (
        "Fabrikam will stream it. Fabrikam expects a crowd.\n\n"
        "To put it in perspective, a NASA video explains, “If Earth and the sun were a foot "
        "apart, the probe was half an inch away.” This year, the company’s website says it is "
        "“lighting up the show with the power of AI.”"
    )
    assert speaker_of(text, "If Earth and the sun", title) == "NASA"
    assert speaker_of(text, "lighting up the show", title) == "Fabrikam"


def test_the_commission_is_the_european_commission() -> None:
    text = (
        "The European Commission announced a package. It answers what the Commission called "
        "“critical vulnerabilities in the global supply chain.”"
    )
    assert speaker_of(text, "critical vulnerabilities") == "European Commission"


def test_later_quotes_of_an_attributed_sentence_share_its_speaker() -> None:
    text = (
        "Adam Mosseri posted on Monday.\n\n"
        "He says that there is “a lot of amazing AI content” and that the platform may need "
        "to rethink its approach to labels by “fingerprinting real media, not chasing fake.”"
    )
    assert speaker_of(text, "fingerprinting real media") == "Adam Mosseri"


def test_name_begins_closes_a_quote_and_the_next_one_joins_it() -> None:
    text = (
        "Game Director Joe Ziegler wrote a long post.\n\n"
        "“The game is overwhelming to learn,” Ziegler begins. “After a short tutorial, you are "
        "thrown into the fire.”"
    )
    quotes = extract_quotes(text)
    assert len(quotes) == 1 and quotes[0].speaker == "Joe Ziegler"


def test_list_items_that_open_with_a_short_quote_keep_the_source() -> None:
    text = (
        "Kobo’s terms say so. It reserves the right to “read, analyze, and process” writing, "
        "including:\n\n"
        "“Enhancing the discoverability of Works” with tagging\n\n"
        "“Generating resources” like “creating keywords and promotional content for books”"
    )
    assert speaker_of(text, "Enhancing the discoverability") == "Kobo"
    assert speaker_of(text, "creating keywords") == "Kobo"


# -- round 3: speakers named after the verb --------------------------------------------------


def test_person_of_an_organisation_after_said_is_the_person() -> None:
    text = (
        "“We have waited years for the river plan to work,” said Lena Hartwig of the Scioto "
        "Water Alliance."
    )
    assert speaker_of(text, "We have waited") == "Lena Hartwig"


def test_person_at_an_organisation_with_a_short_org_name() -> None:
    text = "“The numbers simply do not add up yet,” said Omar Duval at Brightline Capital."
    assert speaker_of(text, "The numbers simply") == "Omar Duval"


def test_lower_case_role_before_the_name_gives_the_name() -> None:
    text = "“Business has never been this slow in a decade,” said shop owner Anneke Brouwer."
    assert speaker_of(text, "Business has never") == "Anneke Brouwer"


def test_role_with_no_name_after_it_stays_the_role() -> None:
    text = "“Business has never been this slow in a decade,” said one shop owner."
    assert speaker_of(text, "Business has never") == "one shop owner"


def test_title_before_name_still_gives_the_name() -> None:
    text = "“We will ship it before the summer,” said Google DeepMind CEO Demis Hassabis."
    assert speaker_of(text, "We will ship") == "Demis Hassabis"


def test_parenthetical_between_name_and_verb_is_skipped() -> None:
    text = (
        "“Doing that without a warrant is an outrageous end run,” Sen. Ron Wyden, (D-Ore.) "
        "said during the hearing."
    )
    assert speaker_of(text, "Doing that without") == "Ron Wyden"


def test_partitive_role_is_kept_whole() -> None:
    text = "“The schedule could slip by months,” one of Nikkei’s sources said. “It is tight.”"
    assert speaker_of(text, "The schedule could") == "one of Nikkei’s sources"


def test_press_release_from_an_office_names_its_holder() -> None:
    text = (
        "The new law “sets out a clear framework for union votes,” according to a press "
        "release from the office of Assemblymember Rosa Tell."
    )
    assert speaker_of(text, "sets out a clear") == "Rosa Tell"


def test_a_button_label_after_click_is_not_a_quote() -> None:
    text = "Give a reason. Feel free to click “I have another reason,” then press Continue."
    assert extract_quotes(text) == ()


# -- documents speak for whoever issued them (round 4) --------------------------------------


def test_the_statement_speaks_for_the_organisation_that_just_issued_it() -> None:
    text = (
        "After months of talks with Acme, the Scioto Water Alliance said on Monday that it has "
        "signed deals with three cities.\n\n"
        "“These deals make the river cleaner for everyone who lives along it,” the statement "
        "reads.\n\n"
        "Acme has fought the plan in court since March.\n\n"
        "“The Alliance will keep testing the water every single week,” the statement reads."
    )
    quotes = extract_quotes(text, title="Acme loses its fight over the river")
    assert by_start(quotes, "These deals").speaker == "Scioto Water Alliance"
    assert by_start(quotes, "The Alliance will").speaker == "Scioto Water Alliance"


def test_a_member_named_inside_the_issuing_group_is_not_the_issuer() -> None:
    text = (
        "A trade group that includes studios like Globex released a statement on Friday.\n\n"
        "“Private servers would leave players without any of the protections,” the statement "
        "said."
    )
    assert speaker_of(text, "Private servers", title="Acme petition passes") != "Globex"


# -- a lower-case role between the speech verb and the name ---------------------------------

_LAB = "A lab in Zurich said on Friday it had built a prototype. "
_NO_PLACE = "The lab said on Friday it had built a prototype. "
_QUOTE = "“We think this will be in homes within five years,” "


def test_role_after_said_names_the_person_not_the_place_before() -> None:
    assert speaker_of(_LAB + _QUOTE + "said lab head Anna Keller.", "We think") == "Anna Keller"


def test_bare_role_after_said_names_the_person_not_the_place_before() -> None:
    text = _LAB + _QUOTE + "said spokeswoman Anna Keller."
    assert speaker_of(text, "We think") == "Anna Keller"


def test_role_after_said_names_the_person_without_a_place() -> None:
    text = _NO_PLACE + _QUOTE + "said lab head Anna Keller."
    assert speaker_of(text, "We think") == "Anna Keller"


def test_company_role_after_said_names_the_person() -> None:
    text = _LAB + _QUOTE + "said company spokeswoman Anna Keller."
    assert speaker_of(text, "We think") == "Anna Keller"


def test_role_then_name_of_organisation_names_the_person() -> None:
    text = _LAB + _QUOTE + "said senior analyst Bo Li of Northgate."
    assert speaker_of(text, "We think") == "Bo Li"


def test_forms_that_already_worked_still_name_the_person() -> None:
    for tail in (
        "said chief executive Anna Keller.",
        "said Anna Keller, the lab head.",
    ):
        assert speaker_of(_LAB + _QUOTE + tail, "We think") == "Anna Keller", tail
    text = _LAB + "“We think this will be in homes within five years,” lab head Anna Keller said."
    assert speaker_of(text, "We think") == "Anna Keller"


def test_dash_and_according_to_take_a_role_before_the_name() -> None:
    dash = _LAB + "“We think this will be in homes within five years.” — lab head Anna Keller"
    assert speaker_of(dash, "We think") == "Anna Keller"
    according = _LAB + _QUOTE + "according to lab head Anna Keller."
    assert speaker_of(according, "We think") == "Anna Keller"


def test_words_after_said_that_are_no_role_do_not_make_a_speaker_of_the_name() -> None:
    # "said on Friday": a date, not a role; the speaker stays the one before the quote.
    text = "Anna Keller runs the lab. “We think this will be in homes soon,” she said on Friday."
    assert speaker_of(text, "We think") == "Anna Keller"
    text = _QUOTE + "said in a statement Zurich Lab."
    assert speaker_of(text, "We think") != "Zurich Lab"


# -- unnamed speakers next to a verb of saying --------------------------------------------


def test_any_noun_phrase_right_after_said_is_the_speaker() -> None:
    text = "“The buses never come on time any more,” said a longtime resident of the street."
    assert speaker_of(text, "The buses never come") == "a longtime resident"


def test_any_noun_phrase_right_before_said_is_the_speaker() -> None:
    text = (
        "“It was the best night of my whole life,” the 19-year-old striker said.\n\n"
        "“Nothing is agreed until everything is agreed,” one person familiar with the talks"
        " said."
    )
    assert speaker_of(text, "It was the best night") == "the 19-year-old striker"
    assert speaker_of(text, "Nothing is agreed") == "one person"


def test_the_whole_role_phrase_names_the_speaker() -> None:
    text = "“We will appeal this decision today,” said a senior administration official."
    assert speaker_of(text, "We will appeal") == "a senior administration official"


def test_a_place_inside_a_participial_aside_is_not_the_speaker() -> None:
    text = (
        "Lumen Labs chief executive Hana Ortiz, speaking at a conference in San Francisco,"
        " said robots “will be folding laundry in most homes within a decade.”"
    )
    assert speaker_of(text, "will be folding laundry") == "Hana Ortiz"


def test_subject_after_an_opening_phrase_with_a_publication() -> None:
    text = "Speaking to The Harbour Gazette, the minister said: “We will not let this stand.”"
    assert speaker_of(text, "We will not let") == "the minister"


def test_coach_and_dutch_particle_in_a_name() -> None:
    text = (
        "“We have to be honest with ourselves,” said coach Pieter ten Brink. “We were not"
        " good enough today.”"
    )
    assert speaker_of(text, "We have to be honest") == "Pieter ten Brink"


def test_the_company_is_the_company_named_just_before() -> None:
    text = (
        "Quillon shares rose on Thursday. In its letter to shareholders, the company said it"
        " “expects revenue growth to pick up in the second half.”"
    )
    assert speaker_of(text, "expects revenue growth") == "Quillon"


def test_a_document_or_group_as_subject_of_claims_allege_called() -> None:
    text = (
        "The suit claims that Fablr “designed its app to keep children scrolling at night.”\n\n"
        "In the complaint, prosecutors allege that Dorn “knowingly misled investors about"
        " the accounts.”\n\n"
        "The ministry called the allegations “baseless and politically motivated” on Tuesday."
    )
    assert speaker_of(text, "designed its app") == "The suit"
    assert speaker_of(text, "knowingly misled") == "prosecutors"
    assert speaker_of(text, "baseless and politically") == "The ministry"


def test_the_title_of_the_only_person_named_is_that_person() -> None:
    text = (
        "Marta Quist took the stage in a leather jacket. “The age of cheap robots is here,”"
        " the Brightwell CEO told the crowd."
    )
    assert speaker_of(text, "The age of cheap robots") == "Marta Quist"


def test_according_to_an_agency_and_to_a_memo_by_its_author() -> None:
    text = (
        "According to the National Weather Service, the storm “will bring dangerous flooding"
        " to coastal towns.”\n\n"
        "“The results speak for themselves,” according to a memo sent to staff by CEO"
        " Ola Brandt."
    )
    assert speaker_of(text, "will bring dangerous") == "National Weather Service"
    assert speaker_of(text, "The results speak") == "Ola Brandt"


def test_the_agency_and_the_group_are_the_named_agency_and_group() -> None:
    text = (
        "The Federal Trade Commission sued Abacor on Monday. In a complaint, the agency said"
        " the merger would “end the price war that has helped small businesses.”\n\n"
        "The Open Spectrum Alliance, a trade group for carriers, praised the vote. “Today puts"
        " the country on a path to faster networks,” the group said."
    )
    assert speaker_of(text, "end the price war") == "Federal Trade Commission"
    assert speaker_of(text, "Today puts the country") == "Open Spectrum Alliance"


def test_an_acronym_speaker_is_given_its_full_name() -> None:
    text = (
        "The Nordic Space Agency launched its probe on Friday. “Every instrument is working as"
        " designed,” NSA said in a statement."
    )
    assert speaker_of(text, "Every instrument is working") == "Nordic Space Agency"


def test_he_after_a_quote_is_the_person_the_sentence_before_is_about() -> None:
    text = (
        "On cross-examination, defense lawyer Tomas Greer pressed Lina Park on her plea deal."
        " “You understand that the deal depends on what you say here today?” he asked."
    )
    assert speaker_of(text, "You understand that the deal") == "Tomas Greer"


def test_and_name_after_a_quote_starts_a_new_attribution() -> None:
    text = (
        "Investors were calm: Petra Kwan of Lumen Capital said the exit was “sad but not"
        " surprising” and Hugo Benn, an early angel investor, called Reinholt “the conscience"
        " of that building.”"
    )
    assert speaker_of(text, "sad but not surprising") == "Petra Kwan"
    assert speaker_of(text, "the conscience of that") == "Hugo Benn"


def test_said_it_keeps_the_subject_of_said() -> None:
    text = (
        "The institute did not name the model. In a statement, the Safety Institute said it"
        " shares findings with developers “so that risks can be fixed before anyone talks.”"
    )
    assert speaker_of(text, "so that risks can be fixed") == "Safety Institute"


def test_titles_asides_and_party_tags_do_not_hide_the_person() -> None:
    text = (
        "Sen. Curtis Brand, R-Alexandria, said the bill would create “a giant database of"
        " children’s identities.”\n\n"
        "“Lynwood was open for business to anyone who wanted to defraud people,” Patrice Olu,"
        " chief of the agency’s Enforcement Bureau, said in a statement.\n\n"
        "Ruth Okon of Rochester told lawmakers: “My daughter was twelve when it happened.”"
    )
    assert speaker_of(text, "a giant database") == "Curtis Brand"
    assert speaker_of(text, "Lynwood was open") == "Patrice Olu"
    assert speaker_of(text, "My daughter was twelve") == "Ruth Okon"


def test_a_document_subject_with_a_relative_clause_keeps_the_quote() -> None:
    text = (
        "The recorded message, which mimics the voice of Judge Carla Penn, tells listeners"
        " that “the election will continue on the following Tuesday” and urges them to"
        " “avoid the lines and vote next week.”"
    )
    assert speaker_of(text, "the election will continue") == "The recorded message"
    assert speaker_of(text, "avoid the lines") == "The recorded message"


def test_a_second_fragment_in_the_sentence_keeps_its_speaker() -> None:
    text = (
        "The shadow secretary, Hugo Pell, said the plan was “too little, too late” and"
        " accused ministers of “kicking the can down the road.”\n\n"
        "Mayor Ada Ruiz said on Monday that she was “not aware of any such request,” hours"
        " before the state attorney opened an inquiry into the “improper use of city funds.”"
    )
    assert speaker_of(text, "kicking the can") == "Hugo Pell"
    assert speaker_of(text, "improper use of city") != "Ada Ruiz"


def test_it_after_a_document_attribution_is_that_document() -> None:
    text = (
        "“Offensive skills have improved faster than we forecast,” the report says. It adds"
        " that safeguards “were bypassed in every model we tested.”"
    )
    assert speaker_of(text, "were bypassed in every") == "the report"


def test_a_spokesperson_for_a_long_department_name() -> None:
    text = (
        "A spokesperson for the Department for Science, Innovation and Technology said the"
        " deal was “a vote of confidence in British talent.”"
    )
    assert speaker_of(text, "a vote of confidence") == (
        "A spokesperson for the Department for Science, Innovation and Technology"
    )


def test_a_name_before_a_participle_is_who_wrote() -> None:
    text = (
        "The complaint quotes Abacor’s head of strategy, Neil Varga, writing in an email that"
        " the deal would “take our most dangerous competitor off the board.”"
    )
    assert speaker_of(text, "take our most dangerous") == "Neil Varga"


def test_the_union_is_the_body_introduced_as_a_union() -> None:
    text = (
        "Game Makers Montreal, a union that organises at several studios, called a meeting."
        " “These cuts are a management failure paid for by workers,” the union said.\n\n"
        "A group calling itself “Quiet Ledger” claimed the attack. The group wrote that the"
        " firm had “ignored every attempt at a conversation.”"
    )
    assert speaker_of(text, "These cuts are") == "Game Makers Montreal"
    assert speaker_of(text, "ignored every attempt") == "Quiet Ledger"


def test_an_organisation_with_an_appositive_before_said() -> None:
    text = (
        "“The protections in place are a floor, not a ceiling,” Airlines for America, the"
        " industry’s main trade group, said in a statement."
    )
    assert speaker_of(text, "The protections in place") == "Airlines for America"


def test_a_lawyer_for_someone_then_the_lawyers_name() -> None:
    text = (
        "Julian Ash founded the exchange in 2019. A lawyer for Ash, Peter Quill, said his"
        " client would “defend himself vigorously in court.”"
    )
    assert speaker_of(text, "defend himself vigorously") == "Peter Quill"


def test_age_and_relative_clause_between_name_and_verb() -> None:
    text = (
        "In Pacific Grove, volunteer Harold Mins, 81, who has counted there since 1997, told"
        " the Herald that the clusters were “the thickest I have seen in fifteen years.”"
    )
    assert speaker_of(text, "the thickest I have seen") == "Harold Mins"


def test_she_after_an_unnamed_source_is_that_source() -> None:
    text = (
        "Studio head Corinne Lavalle announced the cuts on Monday.\n\n"
        "One senior developer, who asked not to be named, said staff learned of it at a"
        " meeting.\n\n"
        "“There were people crying in the kitchen and people laughing,” she said."
    )
    assert speaker_of(text, "There were people crying") == "One senior developer"


def test_a_title_acronym_between_party_and_name() -> None:
    text = (
        "Dutch Green MEP Pieter van Dam said on Bluesky that the deal was reopened. He added:"
        " “Parliament will not rubber-stamp this.”"
    )
    assert speaker_of(text, "Parliament will not") == "Pieter van Dam"


def test_a_title_after_an_attribution_is_not_merged_into_the_quote() -> None:
    text = (
        "“I am not going to talk about Eli. I hope he is well,” she said, turning to the"
        " closing track, “The Long Way Back to You,” which she called her best song."
    )
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == ["I am not going to talk about Eli. I hope he is well"]


def test_he_is_the_council_member_who_opened_the_sentence_before() -> None:
    text = (
        "“I have sat with those families,” Alicia Grand said before the vote.\n\n"
        "Council member Dale Hutch, one of two no votes, said he worried about shops on the"
        " avenue. He called the plan “a solution designed by people who never unload a truck.”"
    )
    assert speaker_of(text, "a solution designed") == "Dale Hutch"


def test_she_described_in_the_paragraph_before_a_quote() -> None:
    text = (
        "More than 1,100 firefighters from Cal Fire were assigned by Wednesday.\n\n"
        "Lorraine Feld, 68, left her house with her two dogs. She described the evacuation"
        " from a shelter at the fairgrounds.\n\n"
        "“The deputy came down the road with his lights on and told us to go right now.”"
    )
    assert speaker_of(text, "The deputy came down") == "Lorraine Feld"


def test_the_hospital_is_the_organisation_that_was_just_speaking() -> None:
    text = (
        "Nurses walked out on Tuesday. St. Agnes Medical Center said in a statement that it"
        " had made a fair offer.\n\n"
        "“Patient care will continue without interruption,” the hospital said.\n\n"
        "Vantor Tools, a California firm, dropped 7%. In a filing, Vantor said the rules would"
        " hurt. “We are evaluating the new requirements and will comply,” the company said."
    )
    assert speaker_of(text, "Patient care will continue") == "St. Agnes Medical Center"
    assert speaker_of(text, "We are evaluating the new") == "Vantor Tools"


def test_an_organisation_named_with_of_or_a_possessive() -> None:
    text = (
        "The Illinois Department of Public Health said it was “monitoring staffing levels"
        " throughout the strike.”\n\n"
        "The Vermont Attorney General's Office said it was “reviewing the legislation before"
        " it becomes law.”"
    )
    assert speaker_of(text, "monitoring staffing levels") == "Illinois Department of Public Health"
    assert speaker_of(text, "reviewing the legislation") == "Vermont Attorney General's Office"


def test_its_chair_then_the_name_and_he_inside_a_quote() -> None:
    text = (
        "The Drivers Association said the fine was a start. “For a company this size it is a"
        " rounding error,” said its chair, Hamish Dunn.\n\n"
        "Linda Carr, 68, was in tears by the tunnel. “My dad brought me here. I wish he could"
        " have seen this,” she said."
    )
    assert speaker_of(text, "For a company this size") == "Hamish Dunn"
    assert speaker_of(text, "My dad brought me here") == "Linda Carr"


def test_it_after_a_quote_is_the_body_named_before_the_quote() -> None:
    text = (
        "The industry body ChargeNet said operators had invested billions. “Reliability has"
        " improved dramatically in the past 18 months,” it said in a statement."
    )
    assert speaker_of(text, "Reliability has improved") == "ChargeNet"


def test_a_trade_group_whose_members_are_named_is_the_speaker() -> None:
    text = (
        "The Digital Commerce Alliance, a trade group whose members include Google, Meta and"
        " Amazon, said the bill would “create a litigation bonanza for lawyers.”"
    )
    assert speaker_of(text, "create a litigation bonanza") == "Digital Commerce Alliance"


def test_the_company_is_not_its_product_nor_its_union() -> None:
    text = (
        "Orbis Mobile unveiled the Orbis Fold on Tuesday. The Orbis Fold costs $1,299, and"
        " the Orbis Fold ships in May. Orbis said the assistant runs “almost entirely on the"
        " device itself.”\n\n"
        "Members of the Daesan Motor Workers Union walked out at Daesan Motor plants. Daesan"
        " said the stoppages would cost output. In a statement, the company said the demands"
        " were “excessive and unrealistic given the uncertain environment.”"
    )
    assert speaker_of(text, "almost entirely on the") == "Orbis Mobile"
    assert speaker_of(text, "excessive and unrealistic") == "Daesan Motor"


def test_a_place_based_adjective_is_not_the_speaker() -> None:
    text = (
        "The International Energy Agency published its monthly report on Thursday. “Oil"
        " markets look amply supplied for the rest of the year,” the Paris-based agency said."
    )
    assert speaker_of(text, "Oil markets look amply") == "International Energy Agency"


def test_asked_whether_before_the_subject() -> None:
    text = (
        "Asked at his party’s offices whether Renewal would back a Carla Vane government,"
        " Pedro Pim was dismissive. “We will not be anyone’s crutch,” he told reporters."
    )
    assert speaker_of(text, "We will not be anyone") == "Pedro Pim"


def test_the_union_named_before_its_noun() -> None:
    text = (
        "Workers will walk out next week, the Unite union said on Tuesday.\n\n"
        "The union said the operator had offered a rise that amounted to “a real-terms pay"
        " cut dressed up as generosity.”"
    )
    assert speaker_of(text, "a real-terms pay cut") == "Unite"


def test_a_union_whose_name_has_and_and_the_council_by_its_head_word() -> None:
    text = (
        "Hollins Market agreed to buy FreshWay. The United Food and Commercial Workers union,"
        " which represents 22,000 workers, said it would seek guarantees. “Every time we hear"
        " synergies, our members hear layoffs,” the union said.\n\n"
        "The Haddonfield Borough Council voted to close Ashworth Lane Primary School. Ashworth"
        " Lane Primary School has 90 empty places. The council said the site would be"
        " “considered for housing or community use.”"
    )
    assert speaker_of(text, "Every time we hear") == "United Food and Commercial Workers"
    assert speaker_of(text, "considered for housing") == "Haddonfield Borough Council"


def test_a_company_after_its_description_and_a_party_leader_by_title() -> None:
    text = (
        "COPENHAGEN — Danish developer Vestra Energi said on Monday it had cancelled the"
        " Nordlys wind farm in the German North Sea.\n\n"
        "In a statement, the company said rising costs had made the project “impossible to"
        " deliver at an acceptable return.”\n\n"
        "“The Social Democrats know that,” said Sigrun Halla. Social Democrat leader Petur"
        " Magnus was noncommittal. Asked by reporters whether he would join a government led"
        " by Halla, he said: “We are in no hurry at all.”"
    )
    assert speaker_of(text, "impossible to deliver") == "Vestra Energi"
    assert speaker_of(text, "We are in no hurry") == "Petur Magnus"


def test_an_institution_named_only_with_a_place_based_adjective_does_not_loop() -> None:
    text = (
        "The Brussels-based Commission published its review on Monday. “We will act on"
        " every finding in this report,” the Commission said."
    )
    assert speaker_of(text, "We will act on") in ("Commission", "the Commission")


def test_the_agency_is_the_nearer_of_a_named_agency_and_the_last_subject() -> None:
    text = (
        "The Federal Trade Commission fined BrightHouse Media, an ad agency, on Monday.\n\n"
        "BrightHouse did not admit wrongdoing. In a statement, the agency said it had"
        " “cooperated fully with every part of the inquiry.”"
    )
    assert speaker_of(text, "cooperated fully with") == "BrightHouse Media"


def test_the_weather_service_is_the_named_service_not_a_later_company() -> None:
    text = (
        "A Sierra Valley Power spokesperson said the company was cooperating.\n\n"
        "The National Weather Service extended a red flag warning through Thursday. “Gusts"
        " of 50 to 60 mph are possible along ridgetops,” the weather service said."
    )
    assert speaker_of(text, "Gusts of 50 to 60") == "National Weather Service"


def test_post_nominals_and_an_owned_report() -> None:
    text = (
        "The committee's chair, Rachel Okon MP, said: “We gave the industry the benefit of"
        " the doubt.”\n\n"
        "The Care Quality Commission inspected the ward. The CQC’s report, published on"
        " Thursday, said staff were “working tirelessly in extremely difficult conditions.”"
    )
    assert speaker_of(text, "We gave the industry") == "Rachel Okon"
    assert speaker_of(text, "working tirelessly") == "Care Quality Commission"


def test_it_after_a_named_speakers_quote_and_after_a_lawsuit_says() -> None:
    text = (
        "“Platforms have marked their own homework for too long,” BEUC said in a statement."
        " It called on the Commission to act rather than “wait years for a final decision.”\n\n"
        "The lawsuit says the landlord hid fees in the lease. It describes the charges as"
        " “a second, hidden rent layered on the first.”"
    )
    assert speaker_of(text, "wait years for a final") == "BEUC"
    assert speaker_of(text, "a second, hidden rent") == "The lawsuit"


def test_a_possessive_organisation_is_not_the_subject_she_refers_to() -> None:
    text = (
        "Lumen Arc's head of publishing, Sofie Brand, said the game would not be rushed."
        " “It will come out when the two of them say it is ready,” she wrote."
    )
    assert speaker_of(text, "It will come out") == "Sofie Brand"


def test_state_senator_after_said_and_a_coordinated_second_verb() -> None:
    text = (
        "“This is about whether a grandmother can get to her dialysis,” said state Sen. Lora"
        " Brand, a Republican who sponsored the bill.\n\n"
        "The actors' union SAG-AFTRA said the film followed its contract, but warned that"
        " such recreations should remain “the rare exception, not a business model.”"
    )
    assert speaker_of(text, "This is about whether") == "Lora Brand"
    assert speaker_of(text, "the rare exception") == "SAG-AFTRA"


def test_the_subject_of_a_participle_clause_is_the_company() -> None:
    text = (
        "Vireo raised its prices on Tuesday. The company announced the change in a blog post,"
        " saying the new pricing “reflects our investment in the shows members love.”"
    )
    assert speaker_of(text, "reflects our investment") == "Vireo"


def test_a_hypothetical_speaker_is_no_speaker() -> None:
    text = (
        "In an example shared by the company, a person with a supported washer can say,"
        " “Hey Nova, my kid's soccer jersey needs a deep clean tonight.”"
    )
    assert speaker_of(text, "Hey Nova, my kid") is None


def test_councillor_abbreviations_documents_that_found_and_urged() -> None:
    text = (
        "Cllr Priya Anand defended the plan. Cllr Tom Ashe did not.\n\n"
        "Cllr Anand said: “We consulted for six weeks before anything changed.”\n\n"
        "The report also found that staff were “kind, caring and visibly exhausted”.\n\n"
        "The Natural History Museum confirmed the find. The museum urged anyone not to"
        " “pick it up with bare hands or test it with a magnet”."
    )
    assert speaker_of(text, "We consulted for six") == "Priya Anand"
    assert speaker_of(text, "kind, caring and visibly") == "The report"
    assert speaker_of(text, "pick it up with") == "Natural History Museum"


def test_a_report_to_a_meeting_by_its_author_and_a_surname_subject_before_she() -> None:
    text = (
        "A report to the meeting by general manager Stuart Ng says the levee would help but"
        " warns that “no structural measure can remove flood risk entirely.”\n\n"
        "Marisol Duarte runs a bakery. Nadia Fenwick, an analyst, expects rivals to pounce.\n\n"
        "Duarte said she had asked two competitors for quotes.\n\n"
        "“I will probably stay, and I hate that,” she said."
    )
    assert speaker_of(text, "no structural measure") == "Stuart Ng"
    assert speaker_of(text, "I will probably stay") == "Marisol Duarte"


def test_a_paragraph_after_a_quote_with_its_own_second_half_continues_it() -> None:
    text = (
        "“They outworked us. That's the simple truth of it,” Coach Pam Reed said. “They got to"
        " every loose ball and they made the big shots when it mattered most tonight.”\n\n"
        "“We've got to look at ourselves in the mirror. We have a lot of season left.”"
    )
    assert speaker_of(text, "We've got to look") == "Pam Reed"


def test_the_official_is_the_unnamed_official_just_introduced() -> None:
    text = (
        "Saudi Arabia has borne the largest share of the cuts. A Saudi energy ministry"
        " official, speaking on condition of anonymity, rejected the view. “Global demand is"
        " healthier than some forecasters believe,” the official told reporters."
    )
    assert speaker_of(text, "Global demand is healthier") == "A Saudi energy ministry official"


def test_a_relative_clause_in_the_attribution_and_a_dateline() -> None:
    text = (
        "Several employees said they learned of it on a call. “They didn't even turn their"
        " cameras on,” one developer, who asked not to be named, told Circuit Daily.\n\n"
        "FRANKFURT, March 12 (Meridian Wire) - The European Central Bank left rates unchanged,"
        " warning that the outlook was “more uncertain than at any point since spring.”"
    )
    assert speaker_of(text, "They didn't even turn") == "one developer"
    assert speaker_of(text, "more uncertain than") == "European Central Bank"


def test_a_long_sentence_after_a_quote_yields_to_the_quotes_own_attribution() -> None:
    text = (
        "In a letter to the chief executive, a group of six senators wrote that the memo"
        " “raises serious questions about whether Loopr has been honest.” The letter asks the"
        " company to hand over all of its research on teen usage by May 1st.\n\n"
        "Greaves showed messages in which Min Park discussed the fund. She wrote that the"
        " transfers were fine. “It is our problem, not his, at least for now.” Park said the"
        " message had been taken out of context by the defence."
    )
    assert speaker_of(text, "raises serious questions") == "a group of six senators"
    assert speaker_of(text, "It is our problem") == "Min Park"


def test_the_regulators_report_and_a_figure_the_company_gives() -> None:
    text = (
        "Ofcom fined Hollr £2m on Tuesday, the first fine under the law since Ofcom took on"
        " the role. The regulator's investigation report describes"
        " “a pattern of ignoring clear and repeated warnings from staff.”\n\n"
        "Norrin rates the hinge for 500,000 folds, a figure the company says is “more than"
        " most people will ever need.”"
    )
    assert speaker_of(text, "a pattern of ignoring") == "Ofcom"
    assert speaker_of(text, "more than most people") != "a figure the company"


def test_departments_with_lists_places_and_a_us_acronym() -> None:
    text = (
        "The Department for Science, Innovation and Technology said the fine showed “the law"
        " is working as intended.”\n\n"
        "The Ministry of Economic Affairs in Taipei said it was “in close contact with"
        " domestic suppliers.”\n\n"
        "The US Food and Drug Administration cleared the sensor. The FDA's clearance letter"
        " says the device may be used to “assist clinicians in finding heart failure.”"
    )
    assert speaker_of(text, "the law is working") == (
        "Department for Science, Innovation and Technology"
    )
    assert speaker_of(text, "in close contact with") == "Ministry of Economic Affairs"
    assert speaker_of(text, "assist clinicians") == "US Food and Drug Administration"


def test_the_company_just_introduced_and_according_to_the_alliance() -> None:
    text = (
        "Burrow is operated by Tallow Hill Media Ltd, a company registered in Cyprus. In a"
        " statement, the company said it “rejects the decision in its entirety.”\n\n"
        "The European Heat Alliance published its report. Sales in Poland “more than doubled"
        " in the second half of the year,” according to the alliance."
    )
    assert speaker_of(text, "rejects the decision") == "Tallow Hill Media Ltd"
    assert speaker_of(text, "more than doubled") == "European Heat Alliance"


def test_departments_with_and_and_the_judge_who_was_just_named() -> None:
    text = (
        "The Department for Energy Security and Net Zero said it was “committed to a fair and"
        " managed transition.”\n\n"
        "Judge Ann Ray ruled on Monday. Later, U.S. District Judge Elaine Moss cut off a line"
        " of questioning. “Counsel, you have made your point several times now,” the judge"
        " said."
    )
    assert speaker_of(text, "committed to a fair") == "Department for Energy Security and Net Zero"
    assert speaker_of(text, "Counsel, you have made") == "Elaine Moss"


def test_a_lobby_group_whose_members_and_shares_that_fell() -> None:
    text = (
        "DigitalEurope, a lobby group whose members include Microsoft and SAP, welcomed the"
        " vote. In a statement, the group said the extra year was “a necessary first step.”\n\n"
        "Beamforge Labs won the case. Kestrel shares fell 2.1% on Friday. The company said in"
        " a filing that it did not expect “a material impact on our financial position.”"
    )
    assert speaker_of(text, "a necessary first step") == "DigitalEurope"
    assert speaker_of(text, "a material impact on") == "Kestrel"


def test_a_role_then_name_before_a_colon_and_an_asked_opener() -> None:
    text = (
        "Her neighbor, Jim Tolbert, worried about the aquifer: “Our wells are already dropping"
        " in August.”\n\n"
        "Asked whether Lumen would keep releasing its models, Ada Marchand was more careful:"
        " “As long as we can do it safely, yes.”"
    )
    assert speaker_of(text, "Our wells are already") == "Jim Tolbert"
    assert speaker_of(text, "As long as we can") == "Ada Marchand"
