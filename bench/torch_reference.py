#!/usr/bin/env python3
"""PyTorch reference for `npm run bench:tensor` (comparison only, never a dependency).

Measures the same cases as bench/tensor.ts, on one thread unless --threads N says more:
    taskset -c 0 /usr/bin/python3 bench/torch_reference.py
    /usr/bin/python3 bench/torch_reference.py --threads 2
--quick: L = 720 only for the spectral rows. Needs Debian's python3-torch (1.13). Prints a
table and writes var/bench/torch.json (torch-threads<N>.json for N > 1).
"""
import json
import math
import os
import platform
import time

import torch

ARGS = os.sys.argv
THREADS = int(ARGS[ARGS.index("--threads") + 1]) if "--threads" in ARGS else 1
torch.set_num_threads(THREADS)
torch.manual_seed(0)
QUICK = "--quick" in ARGS
rows = []


def time_it(label, fn, repeats=5):
    fn()
    times = []
    cpu_times = []  # this process's CPU time: on a shared box it moves far less than wall time
    for _ in range(repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        fn()
        cpu_times.append((time.process_time() - c0) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    cpu_times.sort()
    ms = times[len(times) // 2]
    cpu_ms = cpu_times[len(cpu_times) // 2]
    rows.append({"case": label, "backend": "torch", "ms": ms, "cpuMs": cpu_ms})
    print(f"{'torch':12} {label:44} {ms:9.1f} ms  cpu {cpu_ms:8.1f} ms", flush=True)


def bench_matmul():
    a = torch.randn(23040, 64)
    b = torch.randn(64, 64)
    time_it("matMul [23040,64]x[64,64]", lambda: a @ b)
    time_it("matMul^T [64,23040]x[23040,64] (weight grad)", lambda: a.t() @ a)


def fft_conv(u, k):
    L = u.shape[-1]
    n = 2 * L
    return torch.fft.irfft(torch.fft.rfft(u, n=n) * torch.fft.rfft(k, n=n), n=n)[..., :L]


def bench_spectral():
    for L in ([720] if QUICK else [336, 720, 1440]):
        for C in (64, 128):
            u = torch.randn(32, C, L)
            k = torch.randn(C, L)
            w = torch.randn(32, C, L)
            time_it(f"rfft n=2L B=32 C={C} L={L}", lambda: torch.fft.rfft(u, n=2 * L), 3)
            uu = u.clone().requires_grad_(True)
            kk = k.clone().requires_grad_(True)

            def step():
                uu.grad = None
                kk.grad = None
                (fft_conv(uu, kk) * w).sum().backward()

            time_it(f"fftConv fwd+bwd B=32 C={C} L={L}", step, 3)


def gelu(x):
    c = math.sqrt(2 / math.pi)
    return 0.5 * x * (1 + torch.tanh(c * (x + 0.044715 * x ** 3)))


def bench_ssm_step():
    B, C, L = 32, 64, 336
    u = torch.randn(B, C, L)
    target = torch.randn(B, L, C)
    a = torch.rand(C, 1).mul(2).requires_grad_(True)
    theta = torch.rand(C, 1).mul(0.5).requires_grad_(True)
    gain = (torch.randn(C, 1) * 0.5).requires_grad_(True)
    D = (torch.randn(C, 1) * 0.5).requires_grad_(True)
    W = (torch.randn(C, C) / math.sqrt(C)).requires_grad_(True)
    bias = torch.zeros(C, requires_grad=True)
    params = [a, theta, gain, D, W, bias]
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=1e-4)
    steps = torch.arange(L, dtype=torch.float32).reshape(1, L)

    def step():
        opt.zero_grad()
        k = gain * torch.exp(-torch.nn.functional.softplus(a) * steps / L) * torch.cos(theta * steps)
        y = fft_conv(u, k) + D * u
        z = gelu(y).transpose(1, 2).reshape(B * L, C)
        out = (z @ W + bias).reshape(B, L, C)
        loss = ((out - target) ** 2).mean()
        loss.backward()
        opt.step()

    time_it(f"SSM block train step B={B} C={C} L={L}", step)


def bench_lstm_step():
    B, T, I, H = 32, 96, 16, 64
    x = torch.randn(B, T, I)
    y = torch.randn(B, 1)
    lstm = torch.nn.LSTM(I, H, batch_first=True)
    head = torch.nn.Linear(H, 1, bias=False)
    opt = torch.optim.AdamW(list(lstm.parameters()) + list(head.parameters()), lr=1e-3, weight_decay=0)

    def step():
        opt.zero_grad()
        _, (h, _) = lstm(x)
        loss = ((head(h[-1]) - y) ** 2).mean()
        loss.backward()
        opt.step()

    time_it(f"LSTM train step B={B} T={T} I={I} H={H}", step)


if __name__ == "__main__":
    print(f"torch {torch.__version__}  threads {torch.get_num_threads()}  {platform.processor() or platform.machine()}")
    bench_matmul()
    bench_spectral()
    bench_ssm_step()
    bench_lstm_step()
    os.makedirs("var/bench", exist_ok=True)
    out = "var/bench/torch.json" if THREADS == 1 else f"var/bench/torch-threads{THREADS}.json"
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "threads": THREADS, "rows": rows}, f, indent=2)
    print(f"\nwritten {out}")
