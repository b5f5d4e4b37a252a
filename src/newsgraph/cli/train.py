"""``newsgraph train MODEL``: rebuild a shipped model from ``shared/data`` (train split only)."""
from __future__ import annotations

import argparse
import importlib

# model name -> module with train(args) -> int
TRAINERS = {
    "quotes": "newsgraph.quotes.train",
    "techniques": "newsgraph.techniques.train",
    "events": "newsgraph.events.train",
}


def register(sub) -> None:
    p = sub.add_parser("train", help="rebuild a shipped model from the training data")
    models = p.add_subparsers(dest="model", required=True, metavar="MODEL")
    for name, module in TRAINERS.items():
        mp = models.add_parser(name, help=f"train the {name} model")
        mp.set_defaults(func=lambda args, module=module: importlib.import_module(module).train(args))
        mp.set_defaults(_module=module)
        mp.add_argument("--data", default=None, help="training data (default: ../shared/data/...)")
        mp.add_argument("--out", default=None, help="where to write the model (default: the package)")
        if name == "techniques":
            mp.add_argument("--checkpoint", default=None,
                            help="an encoder.pt checkpoint: export it instead of training the "
                                 "encoder again; or a model folder: only the last pass (the "
                                 "sentence-head stage) runs, from that model's encoder (the heads, "
                                 "pre-filter and calibration are rebuilt either way)")
            mp.add_argument("--memes", nargs="?", const="train", default=None, metavar="JSONL",
                            help="also train the encoder on the SemEval-2021 training memes "
                                 "(default file: DATA/memes21_train.jsonl; labels mapped to PTC's, "
                                 "Smears etc. as untyped spans); lexical classifiers, pre-filter "
                                 "and dev tuning stay on PTC")
        if name == "quotes":
            mp.add_argument("--docbin", default=None,
                            help="a DocBin of the training articles' parses (skips re-parsing)")
