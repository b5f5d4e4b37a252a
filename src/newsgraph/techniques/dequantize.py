"""Read a shipped int8 ONNX encoder back into fp32 torch state dicts (training only).

``quantize_dynamic`` (per-tensor, see ``export.py``) stores each MatMul weight ``W`` [in, out] as
int8 ``q`` with a scale ``s`` and zero point ``z`` (W ~ s * (q - z)) and each embedding table the
same way in uint8. The graph keeps Hugging Face names for biases and LayerNorms; a MatMul's weight
is named after the bias added to its output (``...query.bias`` -> ``...query.weight``). Layers
the fine-tuning kept frozen (embeddings and the lowest layers) are taken exactly from the base
MiniLM weights when given, so only the fine-tuned layers carry the int8 rounding.
Lets a further training stage continue from the shipped model when no fp32 checkpoint is kept.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def _dequant(q: np.ndarray, scale: np.ndarray, zero: np.ndarray) -> np.ndarray:
    return (q.astype(np.float32) - zero.astype(np.float32)) * scale.astype(np.float32)


def onnx_state(path: Path) -> dict[str, np.ndarray]:
    """fp32 arrays under torch names (``bert.…`` for the encoder, ``tag.weight``/``tag.bias``)."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    state = {k: v.astype(np.float32) for k, v in init.items() if k.endswith((".bias", ".weight"))}
    for n in graph.node:
        if n.op_type == "MatMulInteger":
            base = n.input[1][: -len("_quantized")]
            w = _dequant(init[n.input[1]], init[base + "_scale"], init[base + "_zero_point"])
            state[_bias_after(n.output[0], consumers, init)[: -len("bias")] + "weight"] = w.T.copy()
        elif n.op_type == "Gather" and n.input[0].endswith("_quantized") and n.input[0] in init:
            base = n.input[0][: -len("_quantized")]
            state[base] = _dequant(init[n.input[0]], init[base + "_scale"], init[base + "_zero_point"])
    # Bert.forward adds token_type_embeddings.weight[0] (a constant in the graph); row 1 is unused
    row0 = next(init[n.input[1]] for n in graph.node if n.op_type == "Add"
                and n.input[0] == "/bert/embeddings/Add_output_0")
    state["bert.embeddings.token_type_embeddings.weight"] = np.stack([row0, row0]).astype(np.float32)
    return state


def _bias_after(name: str, consumers: dict, init: dict, depth: int = 4) -> str:
    """The bias initializer added downstream of a MatMulInteger output (Cast -> Mul -> Add)."""
    frontier = [name]
    for _ in range(depth):
        nxt = []
        for out in frontier:
            for n in consumers.get(out, []):
                bias = [i for i in n.input if i in init and i.endswith(".bias")]
                if n.op_type == "Add" and bias:
                    return bias[0]
                nxt.extend(n.output)
        frontier = nxt
    raise ValueError(f"no bias found after {name}; the graph is not one written by export.py")


def load_shipped(model_dir: Path, base: Path | None, frozen: int = 2):
    """(Bert, heads) torch modules holding the shipped model's weights: the ONNX encoder and tag
    head dequantized, the label head from ``label_head.npz``; with ``base`` (the MiniLM folder)
    the embeddings and the lowest ``frozen`` layers come from its exact fp32 weights."""
    import json

    import torch

    from .torchmodel import Bert
    from .train_encoder import heads

    state = onnx_state(model_dir / "encoder.onnx")
    layers = 1 + max(int(k.split(".")[3]) for k in state if k.startswith("bert.encoder.layer."))
    config = json.loads((base / "config.json").read_text()) if base else _config_from(state, layers)
    bert = Bert(config, layers)
    own = {k[len("bert."):]: torch.from_numpy(v) for k, v in state.items() if k.startswith("bert.")}
    if base:
        from safetensors.numpy import load_file

        exact = load_file(str(base / "model.safetensors"))
        keep = ("embeddings.", *(f"encoder.layer.{i}." for i in range(frozen)))
        for k in list(own):
            if k.startswith(keep) and k in exact:
                own[k] = torch.from_numpy(exact[k].astype(np.float32))
    bert.load_state_dict(own)
    hd = heads(config["hidden_size"], torch)
    with open(model_dir / "label_head.npz", "rb") as fh:
        arrays = np.load(fh, allow_pickle=False)
        label_w, label_b = arrays["weights"], arrays["bias"]
    hd.load_state_dict({"tag.weight": torch.from_numpy(state["tag.weight"]),
                        "tag.bias": torch.from_numpy(state["tag.bias"]),
                        "label.1.weight": torch.from_numpy(label_w.T.copy()),
                        "label.1.bias": torch.from_numpy(label_b)}, strict=False)
    return bert, hd, config


def _config_from(state: dict, layers: int) -> dict:
    vocab, hidden = state["bert.embeddings.word_embeddings.weight"].shape
    return {"vocab_size": vocab, "hidden_size": hidden, "num_hidden_layers": layers,
            "num_attention_heads": 12, "intermediate_size": 4 * hidden,
            "max_position_embeddings": state["bert.embeddings.position_embeddings.weight"].shape[0]}
