"""Learned weights for quote speaker choice (generated; do not edit by hand).

Regenerate with ``.venv/bin/python bench/train_speakers.py --write`` after changing
digests/speaker_features.py or the labels in tests/digests/data/quote*.jsonl.
Trained on every labelled quote, L2=0.003.  Cross-validation when written:
pooled     quotes=316 P=0.994 R=0.991 speaker rules=0.943 learned=0.940 (a right candidate exists for 0.972)
pooled     quotes=316 P=0.994 R=0.991 speaker rules=0.943 learned=0.937 (a right candidate exists for 0.972)
pooled     quotes=316 P=0.994 R=0.991 speaker rules=0.943 learned=0.943 (a right candidate exists for 0.972)
"""

# Whether extract_quotes uses these weights (True) or the hand-set rules (False):
# adopt only when the ranker beats the rules on blind data (bench/historic_blind.py),
# not merely on this CV, whose candidates come from rules tuned on the same quotes.
ADOPTED = False

WEIGHTS: dict[str, float] = {
    "own:tail": 3.9186,
    "own:head": 3.7572,
    "none&rule_none": 2.7007,
    "rule:context": 1.5754,
    "rule:inherit": 1.5424,
    "cue:continues": 1.0579,
    "none&short": 0.8999,
    "frag&rule:context": 0.8475,
    "none&lower_start": -0.6765,
    "log_mentions": 0.6378,
    "voice_i&kind:org": -0.6338,
    "kind:org": -0.6293,
    "frag&rule:implicit": 0.5946,
    "rule:implicit": 0.5946,
    "dist:para": 0.5789,
    "frag&article_org": 0.5756,
    "dist:far": -0.5452,
    "main_person": -0.5335,
    "none&voice_i": 0.5071,
    "chosen&role": 0.4322,
    "kind:person": 0.4274,
    "cue:subject before": 0.3673,
    "frag&kind:role": 0.3499,
    "frag&kind:person": -0.3372,
    "kind:role": 0.3011,
    "cue:owner of the words": 0.2687,
    "dist:after": 0.2662,
    "cue:attribution closing the sentence": 0.2635,
    "cue:speech-verb before": 0.2617,
    "frag&sent_entity": -0.2535,
    "sent_entity": -0.2535,
    "cue_score": 0.2278,
    "frag&kind:org": -0.2189,
    "dist:near": -0.2154,
    "none&fragment": 0.2081,
    "none&voice_we": -0.1996,
    "article_org": -0.1555,
    "voice_i&kind:person": 0.1518,
    "none": -0.1050,
    "cue:possessive": 0.1033,
    "never_named": 0.1026,
    "prev_subject": 0.1024,
    "in_title": -0.0989,
    "weak_person": -0.0931,
    "last_person": 0.0913,
    "voice_we&kind:person": 0.0808,
    "frag&sent_subject": 0.0762,
    "sent_subject": 0.0762,
    "voice_we&kind:org": 0.0613,
    "voice_we&kind:role": 0.0575,
    "none&speech_word_near": -0.0506,
    "voice_i&kind:role": -0.0251,
}
