#!/usr/bin/env python3
"""PyTorch reference for `npm run bench:tensor` (comparison only, never a dependency).

Measures the same cases as bench/tensor.ts, on one thread unless --threads N says more:
    taskset -c 0 /usr/bin/python3 bench/torch_reference.py
    /usr/bin/python3 bench/torch_reference.py --threads 2
--quick: L = 720 only for the spectral rows. Needs Debian's python3-torch (1.13). Prints a
table and writes var/bench/torch.json (torch-threads<N>.json for N > 1).

--only GROUP,GROUP picks cases (default: matmul,spectral,ssm-step,lstm, the bench:tensor set);
s4d-ls4 and s4d-hiss time one training step of S4D models the size of LS4 and HiSS (see
s4d_unit below), for `npm run bench:ssm -- --part speed`, which runs them right after its own
steps and passes --shapes (a JSON of the sizes; the defaults below are the models' defaults),
--steps N, --warmup W and --out PATH (default var/bench/torch-<groups>.json with --only).
"""
import json
import math
import os
import platform
import statistics
import time

import torch

ARGS = os.sys.argv
THREADS = int(ARGS[ARGS.index("--threads") + 1]) if "--threads" in ARGS else 1
torch.set_num_threads(THREADS)
torch.manual_seed(0)
QUICK = "--quick" in ARGS
rows = []


def arg(name, fallback):
    return ARGS[ARGS.index(f"--{name}") + 1] if f"--{name}" in ARGS else fallback


def time_it(label, fn, repeats=5, warmup=1, **extra):
    for _ in range(warmup):
        fn()
    times = []
    cpu_times = []  # this process's CPU time: on a shared box it moves far less than wall time
    for _ in range(repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        fn()
        cpu_times.append((time.process_time() - c0) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
    ms = statistics.median(times)
    cpu_ms = statistics.median(cpu_times)
    rows.append({"case": label, "backend": "torch", "ms": ms, "cpuMs": cpu_ms, **extra})
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


# ---- S4D models the size of LS4 and HiSS (bench:ssm --part speed) --------------------------
# Written for this comparison, to the structure of libs/forecast/src/ls4 (s4d-unit.ts,
# ssm-stack.ts, ls4-network.ts) and libs/forecast/src/seq2seq/hiss-network.ts with
# libs/tensor's S4DBlock, so that the trained parameters match ours one for one.

STEPS = int(arg("steps", "9"))
WARMUP = int(arg("warmup", "2"))
SHAPES = {
    # LS4's defaults (ls4-config.ts): windows of lookback 96 + horizon 24, batch 64
    "ls4": {"batch": 64, "length": 120, "channels": 1, "width": 64, "state": 64, "layers": 4,
            "zDim": 5, "sigma": 0.1, "lr": 1e-3, "weightDecay": 0, "ema": 0.999},
    # HiSS's defaults (seq2seq-config.ts) on the IMU benchmark: 2000 inputs of 3 channels and
    # their deltas, 200 outputs of 2 channels, batch 4
    "hiss": {"batch": 4, "length": 2000, "ratio": 10, "features": 6, "outputs": 2, "lowWidth": 64,
             "lowLayers": 4, "highWidth": 64, "highLayers": 4, "state": 64, "dropout": 0.1,
             "lr": 1e-4, "weightDecay": 0},
}
if "--shapes" in ARGS:
    given = json.loads(arg("shapes", "{}"))
    for key in given:
        SHAPES[key] = {**SHAPES[key], **given[key]}


class S4DKernel(torch.nn.Module):
    """One S4D layer's weights for H channels of N/2 complex modes, and its convolution kernel.

    A = -exp(log_a_real) + i a_imag (S4D-Lin), dt = exp(log_dt) with log dt uniform in
    [log 0.001, log 0.1], zero-order hold dA = exp(dt A), dB = (exp(dt A) - 1) / A B, and
    K[h, l] = 2 Re sum_n C dB dA^l from the Vandermonde matrix exp(dt A l). B is trained only
    when asked (LS4 trains it, HiSS's blocks keep B = 1).
    """

    def __init__(self, channels, state, train_b):
        super().__init__()
        modes = state // 2
        self.log_a_real = torch.nn.Parameter(torch.full((channels, modes), math.log(0.5)))
        self.a_imag = torch.nn.Parameter(math.pi * torch.arange(modes, dtype=torch.float32).repeat(channels, 1))
        b = torch.stack([torch.ones(channels, modes), torch.zeros(channels, modes)], -1)
        if train_b:
            self.b = torch.nn.Parameter(b)
        else:
            self.register_buffer("b", b)
        self.c = torch.nn.Parameter(torch.randn(channels, modes, 2) * math.sqrt(0.5))
        lo, hi = math.log(0.001), math.log(0.1)
        self.log_dt = torch.nn.Parameter(lo + (hi - lo) * torch.rand(channels))
        self.d = torch.nn.Parameter(torch.randn(channels))

    def forward(self, length):
        a = torch.complex(-torch.exp(self.log_a_real), self.a_imag)
        dt_a = a * torch.exp(self.log_dt)[:, None]
        cb = torch.view_as_complex(self.c) * torch.view_as_complex(self.b) * (torch.exp(dt_a) - 1) / a
        positions = torch.arange(length, dtype=torch.float32)
        vandermonde = torch.exp(dt_a[:, :, None] * positions)  # [H, M, L]
        return 2 * torch.einsum("hm,hml->hl", cb, vandermonde).real


def channel_dropout(x, p, training):
    """Dropout of whole channels, one mask per (sample, channel) shared along the sequence."""
    if not training or p == 0:
        return x
    keep = (torch.rand(x.shape[0], x.shape[1], 1) >= p).to(x.dtype)
    return x * keep / (1 - p)


class S4DUnit(torch.nn.Module):
    """On [B, H, L]: core(u) = GLU(Conv1d(H, 2H, 1)(GELU(K * u + D u))); residual: x + core(LayerNorm(x))."""

    def __init__(self, channels, state, residual=True, train_b=True, dropout=0.0):
        super().__init__()
        self.kernel = S4DKernel(channels, state, train_b)
        self.norm = torch.nn.LayerNorm(channels) if residual else None
        self.mix = torch.nn.Conv1d(channels, 2 * channels, 1)
        self.dropout = dropout

    def forward(self, x):
        u = self.norm(x.transpose(1, 2)).transpose(1, 2) if self.norm is not None else x
        y = fft_conv(u, self.kernel(u.shape[-1])) + u * self.kernel.d[:, None]
        y = channel_dropout(torch.nn.functional.gelu(y), self.dropout, self.training)
        y = channel_dropout(torch.nn.functional.glu(self.mix(y), dim=1), self.dropout, self.training)
        return x + y if self.norm is not None else y


class S4DStack(torch.nn.Module):
    """LS4's stack on [B, C, L]: Conv1d(C, H, 1), `layers` residual units, LayerNorm, Conv1d(H, out, 1)."""

    def __init__(self, cin, width, cout, layers, state):
        super().__init__()
        self.inp = torch.nn.Conv1d(cin, width, 1)
        self.units = torch.nn.ModuleList([S4DUnit(width, state) for _ in range(layers)])
        self.norm = torch.nn.LayerNorm(width)
        self.out = torch.nn.Conv1d(width, cout, 1)

    def forward(self, x):
        h = self.inp(x)
        for unit in self.units:
            h = unit(h)
        return self.out(self.norm(h.transpose(1, 2)).transpose(1, 2))


class LatentS4D(torch.nn.Module):
    """LS4's network: posterior, prior and decoder stacks, bare S4D units for the latent means
    and log-stds, a learned z0; loss the -ELBO per step (KL summed over latents, fixed-sigma
    Gaussian decoder)."""

    def __init__(self, s):
        super().__init__()
        h, n, lay, z = s["width"], s["state"], s["layers"], s["zDim"]
        self.sigma = s["sigma"]
        self.posterior = S4DStack(s["channels"], h, z, lay, n)
        self.post_mean = S4DUnit(z, n, residual=False)
        self.post_log_std = S4DUnit(z, n, residual=False)
        self.z0 = torch.nn.Parameter(torch.zeros(z))
        self.prior = S4DStack(z, h, z, lay, n)
        self.prior_mean = S4DUnit(z, n, residual=False)
        self.prior_log_std = S4DUnit(z, n, residual=False)
        self.decoder = S4DStack(z, h, s["channels"], lay, n)

    def forward(self, x, eps):
        hq = self.posterior(x)
        qm, qs = self.post_mean(hq), self.post_log_std(hq)
        z = qm + torch.exp(qs) * eps
        shifted = torch.cat([self.z0[None, :, None].expand(z.shape[0], -1, 1), z[:, :, :-1]], 2)
        hp = self.prior(shifted)
        pm, ps = self.prior_mean(hp), self.prior_log_std(hp)
        kl = ps - qs + (torch.exp(2 * qs) + (qm - pm) ** 2) / (2 * torch.exp(2 * ps)) - 0.5
        nll = (x - self.decoder(z)) ** 2 / (2 * self.sigma ** 2) + math.log(self.sigma) + 0.5 * math.log(2 * math.pi)
        return (kl.sum(1) + nll.sum(1)).mean()


class HierarchicalS4D(torch.nn.Module):
    """HiSS: Linear F -> Hl on each chunk of `ratio` steps (chunks as the batch), low-level
    prenorm S4D blocks, the last step, Linear Hl -> Hh, high-level blocks over the chunks,
    Linear Hh -> outputs."""

    def __init__(self, s):
        super().__init__()
        lw, hw, n, p = s["lowWidth"], s["highWidth"], s["state"], s["dropout"]
        self.ratio = s["ratio"]
        self.embed = torch.nn.Linear(s["features"], lw)
        self.low = torch.nn.ModuleList([S4DUnit(lw, n, train_b=False, dropout=p) for _ in range(s["lowLayers"])])
        self.low_out = torch.nn.Linear(lw, hw)
        self.high = torch.nn.ModuleList([S4DUnit(hw, n, train_b=False, dropout=p) for _ in range(s["highLayers"])])
        self.head = torch.nn.Linear(hw, s["outputs"])

    def forward(self, x):
        b, length, f = x.shape
        chunks = length // self.ratio
        h = self.embed(x.reshape(b * chunks, self.ratio, f)).transpose(1, 2)
        for block in self.low:
            h = block(h)
        feats = self.low_out(h[:, :, -1]).reshape(b, chunks, -1).transpose(1, 2)
        for block in self.high:
            feats = block(feats)
        return self.head(feats.transpose(1, 2))


def trained_count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def bench_s4d_ls4(s):
    model = LatentS4D(s)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=s["lr"], weight_decay=s["weightDecay"])
    ema = [p.detach().clone() for p in params]
    windows = torch.randn(s["batch"] * (STEPS + WARMUP + 1), s["channels"], s["length"])
    state = {"step": 0}

    def step():
        rows = torch.randint(0, windows.shape[0], (s["batch"],))
        x = windows[rows]
        eps = torch.randn(s["batch"], s["zDim"], s["length"])
        opt.zero_grad()
        loss = model(x, eps)
        loss.backward()
        opt.step()
        # the Trainer's WeightEma, warm-up included
        d = min(s["ema"], (1 + state["step"]) / (10 + state["step"]))
        state["step"] += 1
        with torch.no_grad():
            for e, p in zip(ema, params):
                e.mul_(d).add_(p, alpha=1 - d)

    label = "s4d-ls4"
    print(f"{label}: batch {s['batch']} x {s['length']}, width {s['width']}, N {s['state']}, "
          f"3 x {s['layers']} blocks, z {s['zDim']}; {trained_count(model)} parameters", flush=True)
    time_it(label, step, repeats=STEPS, warmup=WARMUP, params=trained_count(model))


def bench_s4d_hiss(s):
    model = HierarchicalS4D(s)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=s["lr"], weight_decay=s["weightDecay"])
    n = s["batch"] * (STEPS + WARMUP + 1)
    inputs = torch.randn(n, s["length"], s["features"])
    targets = torch.randn(n, s["length"] // s["ratio"], s["outputs"])

    def step():
        rows = torch.randint(0, n, (s["batch"],))
        x, y = inputs[rows], targets[rows]
        mask = torch.ones(y.shape[0], y.shape[1], 1)
        opt.zero_grad()
        # the masked MSE of padded-batches.ts (every step real here: the IMU sequences are equal)
        loss = (((model(x) - y) ** 2) * mask).sum() / (mask.sum() * y.shape[2])
        loss.backward()
        opt.step()

    label = "s4d-hiss"
    print(f"{label}: batch {s['batch']} x {s['length']} inputs ({s['features']} features), chunks of "
          f"{s['ratio']}, low {s['lowLayers']} x {s['lowWidth']}, high {s['highLayers']} x {s['highWidth']}, "
          f"N {s['state']}; {trained_count(model)} parameters", flush=True)
    time_it(label, step, repeats=STEPS, warmup=WARMUP, params=trained_count(model))


GROUPS = {
    "matmul": bench_matmul,
    "spectral": bench_spectral,
    "ssm-step": bench_ssm_step,
    "lstm": bench_lstm_step,
    "s4d-ls4": lambda: bench_s4d_ls4(SHAPES["ls4"]),
    "s4d-hiss": lambda: bench_s4d_hiss(SHAPES["hiss"]),
}
DEFAULT_GROUPS = ["matmul", "spectral", "ssm-step", "lstm"]

if __name__ == "__main__":
    only = arg("only", None)
    groups = only.split(",") if only else DEFAULT_GROUPS
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise SystemExit(f"--only: unknown {', '.join(unknown)}; known: {', '.join(GROUPS)}")
    print(f"torch {torch.__version__}  threads {torch.get_num_threads()}  {platform.processor() or platform.machine()}")
    for g in groups:
        GROUPS[g]()
    if only:
        out = arg("out", f"var/bench/torch-{'-'.join(groups)}.json")
    else:
        out = "var/bench/torch.json" if THREADS == 1 else f"var/bench/torch-threads{THREADS}.json"
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "threads": THREADS, "rows": rows}, f, indent=2)
    print(f"\nwritten {out}")
