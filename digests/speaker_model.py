"""Learned weights for quote speaker choice (generated; do not edit by hand).

Regenerate with ``.venv/bin/python bench/train_speakers.py --write`` after changing
digests/speaker_features.py or the labels in tests/digests/data/quote*.jsonl.
Trained on every labelled quote, L2=0.003.  Cross-validation when written:
pooled     quotes=316 P=0.994 R=0.991 speaker rules=0.937 learned=0.934 (a right candidate exists for 0.962)
pooled     quotes=316 P=0.994 R=0.991 speaker rules=0.937 learned=0.930 (a right candidate exists for 0.962)
pooled     quotes=316 P=0.994 R=0.991 speaker rules=0.937 learned=0.937 (a right candidate exists for 0.962)
"""

# Whether extract_quotes uses these weights (True) or the hand-set rules (False):
# adopt only when the ranker beats the rules on blind data (bench/historic_blind.py),
# not merely on this CV, whose candidates come from rules tuned on the same quotes.
ADOPTED = False

WEIGHTS: dict[str, float] = {
    "own:tail": 3.9404,
    "own:head": 3.8617,
    "none&rule_none": 2.6329,
    "rule:inherit": 1.6359,
    "rule:context": 1.5190,
    "cue:continues": 1.0547,
    "none&short": 0.9428,
    "frag&rule:context": 0.8446,
    "dist:far": -0.6997,
    "dist:para": 0.6963,
    "none&lower_start": -0.6918,
    "voice_i&kind:org": -0.6575,
    "frag&rule:implicit": 0.5927,
    "rule:implicit": 0.5927,
    "chosen&role": 0.5522,
    "none&voice_i": 0.5165,
    "frag&article_org": 0.5059,
    "kind:person": 0.5055,
    "cue_score": 0.5037,
    "log_mentions": 0.4981,
    "main_person": -0.4373,
    "kind:org": -0.4005,
    "cue:subject before": 0.3840,
    "cue:owner of the words": 0.3355,
    "frag&sent_entity": -0.3276,
    "sent_entity": -0.3276,
    "none&fragment": 0.2806,
    "cue:speech-verb before": 0.2776,
    "never_named": 0.2543,
    "frag&kind:person": -0.2506,
    "dist:after": 0.2194,
    "cue:attribution closing the sentence": 0.2083,
    "none&voice_we": -0.2078,
    "article_org": -0.1754,
    "voice_i&kind:person": 0.1661,
    "dist:near": -0.1262,
    "cue:possessive": 0.1128,
    "none": -0.1118,
    "voice_we&kind:person": 0.1001,
    "voice_we&kind:role": 0.0612,
    "none&speech_word_near": -0.0600,
    "frag&kind:org": -0.0559,
    "prev_subject": 0.0474,
    "voice_we&kind:org": 0.0468,
    "in_title": -0.0361,
    "frag&kind:role": 0.0280,
    "voice_i&kind:role": -0.0251,
    "last_person": 0.0234,
    "frag&sent_subject": 0.0201,
    "sent_subject": 0.0201,
    "kind:role": -0.0039,
}
