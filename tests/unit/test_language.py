"""Arabic and Darija: the detector, the conversation's language, spelling normalisation."""

from __future__ import annotations

import json

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.evaluation import detector_report
from bot.language import LANGUAGES, detect, next_language, reply_language
from bot.normalization import normalize_text, normalize_with_offsets
from bot.settings import VAR_DIR
from bot.text_normalizer import TYPED_TEXT, TextNormalizer, TypedTextRestorer


@pytest.mark.parametrize(
    ("text", "language", "script"),
    [
        ("salam, bghit n3ref chno kayn dyal programmes", "ary", "latin"),
        ("kifach nl9a tamwil", "ary", "latin"),
        ("wach ana éligible l Plug and Play?", "ary", "latin"),
        ("bghit les programmes", "ary", "latin"),
        ("شنو هو البرنامج", "ary", "arabic"),
        ("واش كاين شي تمويل ف كازا؟", "ary", "arabic"),
        ("هل أنا مؤهل لبرنامج Plug and Play؟", "ar", "arabic"),
        ("حدثني عن Plug and Play", "ar", "arabic"),
        ("salam, quels programmes pour ma startup ?", "fr", "latin"),
        ("j'habite à Tanger", "fr", "latin"),
        ("we are based in Marrakech", "en", "latin"),
        ("levée de fonds seed 3fa9c2", "fr", "latin"),  # a pasted id, not Arabizi
    ],
)
def test_detect(text: str, language: str, script: str) -> None:
    detection = detect(text)
    assert detection is not None
    assert (detection.language, detection.script) == (language, script)


@pytest.mark.parametrize("text", ["", "ok", "MVP", "😀😀", "\x00\x01", "salam", "3ans", "12345"])
def test_no_clear_language(text: str) -> None:
    assert detect(text) is None


def test_one_ambiguous_word_never_flips_the_conversation() -> None:
    assert next_language("en", "merci") == "en"
    assert next_language("fr", "thanks") == "fr"
    assert next_language("fr", "شكرا") == "fr"
    assert next_language("en", "salam") == "en"
    assert next_language("fr", "ok") == "fr"
    # ...but a first message sets it, and a clear one changes it.
    assert next_language(None, "merci") == "fr"
    assert next_language(None, "hello") == "en"
    assert next_language("fr", "شكرا بزاف على المساعدة") == "ar"
    assert next_language("ar", "hello, what programs do you have?") == "en"


def test_darija_in_latin_letters_is_answered_as_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    detection = detect("salam, bghit n3ref chno kayn")
    assert detection is not None
    monkeypatch.delenv("SANAD_DARIJA_REPLIES", raising=False)
    assert reply_language(detection) == "ary"
    monkeypatch.setenv("SANAD_DARIJA_REPLIES", "fr")
    assert reply_language(detection) == "fr"
    monkeypatch.setenv("SANAD_DARIJA_REPLIES", "klingon")
    assert reply_language(detection) == "ary"
    arabic_script = detect("بغيت نعرف شنو كاين")
    assert arabic_script is not None and reply_language(arabic_script) == "ar"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("أإآٱا", "ااااا"),
        ("مدرسة", "مدرسه"),
        ("مستشفى", "مستشفي"),
        ("مُؤَهَّل", "موهل"),
        ("سـلام", "سلام"),
        ("شكراااا", "شكرا"),
        ("merciiii", "merci"),
        ("٢٠٢١", "2021"),
        ("هل؟", "هل?"),
        ("ba8i n5dem", "baghi nkhdem"),
        ("3afak 7na 9bel 2ana", "3afak 7na 9bel 2ana"),
        ("b2b 5G 8h", "b2b 5G 8h"),
        ("Bonjour, déjà", "Bonjour, déjà"),
    ],
)
def test_normalization(typed: str, normal: str) -> None:
    assert normalize_text(typed) == normal


def test_offsets_follow_removed_and_added_letters() -> None:
    text = "بغيت نـمشي لأكاديييير و ba8i"
    normal, offsets = normalize_with_offsets(text)
    start = text.index("لأكاديييير")
    assert normal[offsets[start] : offsets[start + len("لأكاديييير")]] == "لاكادير"
    assert normal[offsets[text.index("ba8i")] : offsets[len(text)]] == "baghi"
    assert len(offsets) == len(text) + 1


def test_the_pipeline_component_keeps_training_entities_on_their_words() -> None:
    data = RasaYAMLReader().reads(
        'version: "3.1"\nnlu:\n- intent: inform\n  examples: |\n'
        "    - أنا فـ [الدار البيضاء](city) و عندي [نموذج أوّلي](stage)\n"
        "    - [casa](city) 3afaaak\n"
        "- lookup: city\n  examples: |\n    - أكادير\n- synonym: agadir\n  examples: |\n    - أكادير\n"
    )
    TextNormalizer().process_training_data(data)
    for message in data.training_examples:
        text = message.get("text")
        for entity in message.get("entities"):
            assert text[entity["start"] : entity["end"]] == entity["value"]
    values = [e["value"] for m in data.training_examples for e in m.get("entities")]
    assert values == ["الدار البيضاء", "نموذج اولي", "casa"]
    assert data.training_examples[1].get("text") == "casa 3afak"
    assert "اكادير" in data.lookup_tables[0]["elements"]
    assert data.entity_synonyms["اكادير"] == "agadir"


def test_the_parse_gives_back_what_the_founder_typed_with_entities_on_it() -> None:
    """The model reads the normal form; actions store names, e-mails and topics as typed (a hex id, an
    Arabizi-looking e-mail), and entities point into the typed text."""
    from rasa.shared.nlu.training_data.message import Message

    typed = "أنا فـ الدار البيضاء، salma8x@mail.ma, ticket b8c1b3, ba8i casaaaa"
    message = Message(data={"text": typed})
    TextNormalizer().process([message])
    normal = message.get("text")
    assert normal != typed
    entities = [
        {"entity": "city", "start": normal.index("الدار"), "end": normal.index(","), "value": "الدار البيضاء"},
        {"entity": "city", "start": normal.index("casa"), "end": len(normal), "value": "casa"},
        {"entity": "city", "start": normal.index("ba"), "end": normal.index("ba") + 5, "value": "casablanca"},
    ]
    message.set("entities", entities, add_to_output=True)
    TypedTextRestorer().process([message])
    assert message.get("text") == typed
    assert TYPED_TEXT not in message.as_dict(only_output_properties=True)
    spans = [typed[e["start"] : e["end"]] for e in message.get("entities")]
    assert spans == ["الدار البيضاء", "casaaaa", "ba8i"]
    assert [e["value"] for e in message.get("entities")] == ["الدار البيضاء", "casaaaa", "casablanca"]


def test_detector_accuracy_per_language_on_the_held_out_sets() -> None:
    """The labelled set is tests/nlu/<language>.yml; the report lands in var/reports/language_detection.json."""
    report = detector_report()
    out = VAR_DIR / "reports"
    out.mkdir(parents=True, exist_ok=True)
    (out / "language_detection.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    assert set(report) == set(LANGUAGES)
    for language, result in report.items():
        assert result["messages"] >= 300, language
        assert result["accuracy"] >= 0.88, (language, result["wrong"])
        assert result["wrong_rate"] <= 0.06, (language, result["wrong"])


def test_spacy_french_tokenizer_keeps_every_training_entity_on_token_boundaries() -> None:
    """The pipeline tokenizes Arabic and Arabizi with spaCy's French tokenizer: measured here on every
    annotated example of every language, after normalisation, as the model sees them."""
    import spacy
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.settings import REPO_ROOT

    nlp = spacy.load("fr_core_news_md", exclude=["tagger", "parser", "ner", "lemmatizer", "morphologizer"])
    data = TextNormalizer().process_training_data(load_data(str(REPO_ROOT / "nlu_data")))
    annotated = [m for m in data.training_examples if m.get("entities")]
    misaligned = []
    for message in annotated:
        doc = nlp(message.get("text"))
        starts, ends = {t.idx for t in doc}, {t.idx + len(t) for t in doc}
        for entity in message.get("entities"):
            if entity["start"] not in starts or entity["end"] not in ends:
                misaligned.append((message.get("text"), entity["value"]))
    arabic = [m for m in annotated if any("\u0600" <= ch <= "\u06ff" for ch in m.get("text"))]
    assert len(arabic) > 300
    assert misaligned == []
