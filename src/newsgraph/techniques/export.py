"""Export the fine-tuned encoder to ONNX, quantize it to int8, and write the numpy heads.

Training only (needs torch and onnx). The graph outputs the last hidden states (for the label
and sentence heads, run in numpy) and the BIO tag probabilities.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def export(checkpoint: Path, out: Path, tokenizer: Path, quantize: bool = True) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from .torchmodel import Bert
    from .train_encoder import heads

    state = torch.load(checkpoint, weights_only=True)
    bert = Bert(state["config"], state["layers"]).eval()
    bert.load_state_dict(state["bert"])
    hd = heads(state["config"]["hidden_size"], torch).eval()
    hd.load_state_dict(state["heads"], strict=False)  # no ``sent`` head before v4

    class Tagger(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert, self.tag = bert, hd["tag"]

        def forward(self, input_ids, attention_mask):
            h = self.bert(input_ids, attention_mask)
            return h, self.tag(h).softmax(-1)

    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "encoder.fp32.onnx"
    ids = torch.ones(2, 8, dtype=torch.long)
    tagger = Tagger().eval().requires_grad_(False)
    torch.onnx.export(tagger, (ids, ids), str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["hidden", "tags"], opset_version=17, dynamo=False,
                      dynamic_axes={n: {0: "batch", 1: "tokens"}
                                    for n in ("input_ids", "attention_mask", "hidden", "tags")})
    if quantize:
        quantize_dynamic(str(fp32), str(out / "encoder.onnx"), weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul", "Gather"])
        fp32.unlink()
    else:
        fp32.rename(out / "encoder.onnx")
    label = hd["label"][1]
    np.savez_compressed(out / "label_head.npz", weights=label.weight.detach().numpy().T.astype(np.float32),
                        bias=label.bias.detach().numpy().astype(np.float32))
    sentence_head = out / "sentence_head.npz"
    if "sent.1.weight" in state["heads"]:  # trained with the sentence loss (train_encoder)
        sent = hd["sent"][1]
        np.savez_compressed(sentence_head, weights=sent.weight.detach().numpy()[0].astype(np.float32),
                            bias=sent.bias.detach().numpy().astype(np.float32))
    elif sentence_head.exists():
        sentence_head.unlink()
    shutil.copyfile(tokenizer, out / "tokenizer.json")
    log.info("exported %s (%.1f MB)", out / "encoder.onnx", (out / "encoder.onnx").stat().st_size / 1e6)
