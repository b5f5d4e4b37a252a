"""A sparse multinomial logistic classifier at run time: feature names -> weights, pure numpy.

Trained with scikit-learn (``train_lexical``), shipped as JSON (feature names) + ``.npz`` (weights,
read with ``allow_pickle=False``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Linear:
    index: dict[str, int]   # feature name -> row of ``weights``
    weights: np.ndarray     # [features, classes]
    bias: np.ndarray        # [classes]

    def probs(self, feats: list[dict[str, float]]) -> np.ndarray:
        """[n, classes] class probabilities for each feature dict."""
        out = np.tile(self.bias, (len(feats), 1)).astype(np.float64)
        for n, f in enumerate(feats):
            for name, value in f.items():
                row = self.index.get(name)
                if row is not None:
                    out[n] += value * self.weights[row]
        out -= out.max(axis=1, keepdims=True)
        np.exp(out, out=out)
        return out / out.sum(axis=1, keepdims=True)

    def save(self, folder: Path, name: str) -> None:
        names = sorted(self.index, key=self.index.get)
        (folder / f"{name}.json").write_text(json.dumps(names), encoding="utf-8")
        np.savez_compressed(folder / f"{name}.npz", weights=self.weights.astype(np.float16),
                            bias=self.bias.astype(np.float32))

    @classmethod
    def load(cls, folder, name: str) -> "Linear":
        names = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        with (folder / f"{name}.npz").open("rb") as fh:
            arrays = np.load(fh, allow_pickle=False)
            weights, bias = arrays["weights"].astype(np.float32), arrays["bias"]
        return cls({n: i for i, n in enumerate(names)}, weights, bias)
