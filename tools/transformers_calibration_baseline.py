"""The yardstick of `reap-omni benchmark calibration`: HuggingFace transformers' plain forward pass over decoder
layers of the same shapes (Qwen3-Omni's thinker: hidden 2048, 32/4 heads of 128, 128 experts of 768, top-8,
renormalised), with the model resident on the GPU, over the same number of samples and tokens.

Run where transformers and a GPU are installed:
    python3 tools/transformers_calibration_baseline.py --layers 8 --samples 64 --tokens 1024
Prints the tokens per second of the plain forward (weights already on the GPU, so no loading), and the peak GPU
memory PyTorch allocated.
"""
import argparse
import time

import torch
from transformers import Qwen3MoeConfig, Qwen3MoeModel


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--tokens", type=int, default=1024)
    parser.add_argument("--batch", type=int, default=8, help="samples per forward call")
    parser.add_argument("--dtype", choices=["bfloat16", "float16"], default="bfloat16")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dtype = getattr(torch, args.dtype)
    config = Qwen3MoeConfig(vocab_size=8192, hidden_size=2048, intermediate_size=6144,
                            num_hidden_layers=args.layers, num_attention_heads=32, num_key_value_heads=4,
                            head_dim=128, num_experts=128, num_experts_per_tok=8, moe_intermediate_size=768,
                            norm_topk_prob=True, decoder_sparse_step=1, mlp_only_layers=[],
                            max_position_embeddings=max(32768, args.tokens), rope_theta=1e6)
    config._attn_implementation = "sdpa"
    torch.manual_seed(20261129)
    torch.set_default_device("cuda")
    torch.set_default_dtype(dtype)
    model = Qwen3MoeModel(config).eval()
    ids = torch.randint(0, 8182, (args.samples, args.tokens))
    with torch.inference_mode():
        model(input_ids=ids[:args.batch])
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            for first in range(0, args.samples, args.batch):
                model(input_ids=ids[first:first + args.batch])
            torch.cuda.synchronize()
            best = min(best, time.perf_counter() - start)
    tokens = args.samples * args.tokens
    print(f"transformers {__import__('transformers').__version__}, torch {torch.__version__}, "
          f"{torch.cuda.get_device_name()}: {args.layers} layers, {args.samples} x {args.tokens} tokens, "
          f"{args.dtype}, batches of {args.batch}, model resident: plain forward {tokens / best:,.0f} tokens/s "
          f"(best of {args.repeat}, {best:.3f} s), peak allocated {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB")


if __name__ == "__main__":
    main()
