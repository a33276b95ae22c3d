"""Learned weights for quote speaker choice (generated; do not edit by hand).

Regenerate with ``.venv/bin/python bench/train_speakers.py --write`` after changing
digests/speaker_features.py or the labels in tests/digests/data/quote*.jsonl.
Trained on every labelled quote, L2=0.003.  Cross-validation when written:
pooled     quotes=316 P=0.994 R=0.991 speaker rules=0.937 learned=0.934 (a right candidate exists for 0.962)
"""

# Whether extract_quotes uses these weights (True) or the hand-set rules (False):
# adopt only when the ranker beats the rules on blind data (bench/historic_blind.py),
# not merely on this CV, whose candidates come from rules tuned on the same quotes.
ADOPTED = False

WEIGHTS: dict[str, float] = {
    "own:tail": 3.9299,
    "own:head": 3.8684,
    "none&rule_none": 2.6287,
    "rule:inherit": 1.6370,
    "rule:context": 1.5176,
    "cue:continues": 1.0496,
    "none&short": 0.9438,
    "frag&rule:context": 0.8450,
    "dist:para": 0.6955,
    "dist:far": -0.6955,
    "none&lower_start": -0.6942,
    "voice_i&kind:org": -0.6568,
    "frag&rule:implicit": 0.5903,
    "rule:implicit": 0.5903,
    "chosen&role": 0.5470,
    "kind:person": 0.5230,
    "none&voice_i": 0.5186,
    "frag&article_org": 0.5075,
    "cue_score": 0.5037,
    "log_mentions": 0.4935,
    "main_person": -0.4561,
    "kind:org": -0.4046,
    "cue:subject before": 0.3812,
    "cue:owner of the words": 0.3369,
    "frag&sent_entity": -0.3314,
    "sent_entity": -0.3314,
    "none&fragment": 0.2805,
    "cue:speech-verb before": 0.2714,
    "never_named": 0.2681,
    "frag&kind:person": -0.2505,
    "dist:after": 0.2176,
    "none&voice_we": -0.2104,
    "cue:attribution closing the sentence": 0.2076,
    "article_org": -0.1726,
    "voice_i&kind:person": 0.1636,
    "weak_person": -0.1404,
    "dist:near": -0.1202,
    "none": -0.1197,
    "cue:possessive": 0.1127,
    "voice_we&kind:person": 0.1009,
    "none&speech_word_near": -0.0622,
    "voice_we&kind:role": 0.0610,
    "frag&kind:org": -0.0532,
    "voice_we&kind:org": 0.0487,
    "prev_subject": 0.0412,
    "in_title": -0.0405,
    "voice_i&kind:role": -0.0254,
    "last_person": 0.0253,
    "frag&kind:role": 0.0249,
    "frag&sent_subject": 0.0182,
    "sent_subject": 0.0182,
    "kind:role": -0.0082,
}
