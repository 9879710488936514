#!/usr/bin/env python3
"""Loads checkpoints written by reap-omni with HuggingFace transformers and runs the thinker once.

For each folder given: load Qwen3OmniMoeForConditionalGeneration with output_loading_info, print the missing,
unexpected and mismatched keys, compare the loaded config's expert and layer counts with the tensors, and run the
thinker on a few token ids. Exit status 1 when any checkpoint has unexpected or mismatched keys, missing keys outside
a stripped vision tower, or fails to run. Needs transformers >= 5 and torch (not part of the Java build).
"""
import json
import sys

import torch
from transformers import Qwen3OmniMoeForConditionalGeneration


def check(path):
    model, info = Qwen3OmniMoeForConditionalGeneration.from_pretrained(
        path, output_loading_info=True, dtype=torch.float32)
    missing = sorted(info.get("missing_keys", []))
    unexpected = sorted(info.get("unexpected_keys", []))
    mismatched = sorted(str(m) for m in info.get("mismatched_keys", []))
    missing_outside_vision = [k for k in missing if not k.startswith("thinker.visual.")]
    text = model.config.thinker_config.text_config
    ids = torch.arange(1, 9).unsqueeze(0)
    with torch.no_grad():
        logits = model.thinker(input_ids=ids).logits
    finite = bool(torch.isfinite(logits).all())
    result = {
        "path": path,
        "num_hidden_layers": text.num_hidden_layers,
        "num_experts": text.num_experts,
        "enable_audio_output": model.config.enable_audio_output,
        "missing": len(missing),
        "missing_outside_vision": missing_outside_vision[:20],
        "unexpected": unexpected[:20],
        "mismatched": mismatched[:20],
        "logits_shape": list(logits.shape),
        "logits_finite": finite,
    }
    print(json.dumps(result))
    return not unexpected and not mismatched and not missing_outside_vision and finite


def main(paths):
    ok = all([check(p) for p in paths])
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
