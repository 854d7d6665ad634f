"""Typed stubs of the private C++ extension module (see cpp/bindings/)."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

def nearest_names(name: str, candidates: Sequence[str], k: int = 3) -> list[str]: ...
def brzycki_fraction(reps_to_failure: npt.ArrayLike) -> FloatArray: ...
def brzycki_reps(fraction: npt.ArrayLike) -> FloatArray: ...

class MuscleGraph:
    def __init__(self) -> None: ...
    def add_muscle(self, id: str, name: str, chain: str, region: str, size: float) -> int: ...
    def add_link(self, a: str, b: str, type: str, weight: float, group: str) -> None: ...
    def __len__(self) -> int: ...
    def index(self, id: str) -> int: ...
    def ids(self) -> list[str]: ...
    def muscle(self, index: int) -> dict[str, str | float]: ...
    def in_chain(self, chain: str) -> list[int]: ...
    def in_region(self, region: str) -> list[int]: ...
    def neighbours(self, index: int, type: str) -> list[int]: ...
    def links(self) -> list[tuple[int, int, str, float, str]]: ...
    def antagonist_groups(self) -> list[tuple[str, list[int], list[int]]]: ...
    def synergist_path(self, from_: int, to: int) -> list[int]: ...
    def synergist_components(self) -> list[int]: ...

class ActivationTable:
    def __init__(self, dense: FloatArray) -> None: ...
    @property
    def n_exercises(self) -> int: ...
    @property
    def n_muscles(self) -> int: ...

def dose_batch(
    activation: ActivationTable,
    day: npt.ArrayLike,
    exercise: npt.ArrayLike,
    sets: FloatArray,
    reps: FloatArray,
    kg: FloatArray,
    offsets: npt.NDArray[np.int64],
    n_days: int,
    bucket_days: int,
    threads: int = 0,
) -> tuple[FloatArray, FloatArray]: ...
def dose_balance_batch(
    activation: ActivationTable,
    num_coef: FloatArray,
    den_coef: FloatArray,
    day: npt.ArrayLike,
    exercise: npt.ArrayLike,
    sets: FloatArray,
    reps: FloatArray,
    kg: FloatArray,
    offsets: npt.NDArray[np.int64],
    n_days: int,
    bucket_days: int,
    threads: int = 0,
) -> tuple[FloatArray, FloatArray, FloatArray]: ...

class BalanceSpec:
    def __init__(self, graph: MuscleGraph, posterior_share: Sequence[float]) -> None: ...
    @property
    def columns(self) -> list[str]: ...

def balance(spec: BalanceSpec, dose: FloatArray, threads: int = 1) -> FloatArray: ...

# --- adaptation and the closed loop (bind_adaptation.cpp) ---------------------------------------
MODEL_NAMES: tuple[str, ...]
RULE_NAMES: tuple[str, ...]
PARAM_NAMES: tuple[str, ...]
SIZE_NEURAL_PARAM_NAMES: tuple[str, ...]
BATCH_LANES: int  # athletes per block of the batched closed loop

def default_params() -> dict[str, float]: ...

INTENSITY_NAMES: tuple[str, ...]

class PrescriptionSpec:
    def __init__(
        self,
        exercise: int,
        sets: int,
        reps_low: int,
        reps_high: int,
        intensity: str,
        value: float,
        rule: str,
        increment: float,
        per_week: bool,
        deload_after: int,
        deload_fraction: float,
        min_kg: float,
        wave: Sequence[float],
        round_kg: float = -1.0,
    ) -> None: ...

class ProgramSpec:
    def __init__(
        self,
        prescriptions: Sequence[PrescriptionSpec],
        day: Sequence[int],
        prescription: Sequence[int],
        n_days: int,
        deload_week: Sequence[int],
        deload_sets: float,
        deload_load: float,
    ) -> None: ...
    @property
    def used_exercises(self) -> list[int]: ...

class AthleteSpec:
    def __init__(
        self,
        one_rm: FloatArray,
        body_load: FloatArray,
        params: dict[str, FloatArray],
        size_neural: dict[str, Any] = ...,
    ) -> None: ...

def simulate(
    activation: ActivationTable,
    program: ProgramSpec,
    athlete: AthleteSpec,
    model: str = "banister",
    round_kg: float = 2.5,
    limit_weight: float = 0.5,
    default_rir: float = 2.0,
    record: bool = True,
    tests: Sequence[int] = ...,
    pattern: Sequence[int] = ...,
    single_joint: Sequence[int] = ...,
    recovery_hours: Sequence[float] = ...,
) -> dict[str, Any]: ...
def simulate_batch(
    activation: ActivationTable,
    program: ProgramSpec,
    athletes: Sequence[AthleteSpec],
    model: str = "banister",
    round_kg: float = 2.5,
    limit_weight: float = 0.5,
    default_rir: float = 2.0,
    threads: int = 0,
    tests: Sequence[int] = ...,
    pattern: Sequence[int] = ...,
    single_joint: Sequence[int] = ...,
) -> dict[str, FloatArray]: ...
def simulate_population(
    activation: ActivationTable,
    program: ProgramSpec,
    one_rm: FloatArray,
    body_load: FloatArray,
    params: dict[str, FloatArray],
    model: str = "banister",
    round_kg: float = 2.5,
    limit_weight: float = 0.5,
    default_rir: float = 2.0,
    threads: int = 0,
    sample_days: int = 0,
    size_neural: dict[str, FloatArray] = ...,
    tests: Sequence[int] = ...,
    pattern: Sequence[int] = ...,
    single_joint: Sequence[int] = ...,
) -> dict[str, FloatArray]: ...
def banister_open_loop(
    loads: FloatArray,
    p0: FloatArray,
    k1: FloatArray,
    k2: FloatArray,
    tau1: FloatArray,
    tau2: FloatArray,
    states: bool = True,
    daily: bool = True,
) -> tuple[FloatArray, FloatArray, FloatArray]: ...
def effort_weight(rir: npt.ArrayLike) -> FloatArray: ...

# --- model fitting (bind_fit.cpp) -------------------------------------------------------------------
def fit_param_names(model: str) -> list[str]: ...
def fit_check_bounds(model: str, lower: FloatArray, upper: FloatArray) -> None: ...
def fit_default_bounds(model: str) -> tuple[FloatArray, FloatArray]: ...
def fit_model(
    model: str,
    load: FloatArray,
    obs_day: npt.NDArray[np.int32],
    obs_value: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    starts: int = 20,
    bootstrap: int = 200,
    seed: int = 0,
    lag: int = 0,
    threads: int = 0,
    max_iterations: int = 200,
) -> dict[str, Any]: ...
def fit_predict(model: str, params: FloatArray, load: FloatArray) -> FloatArray: ...

# --- limits (module.cpp) ----------------------------------------------------------------------------
def set_thread_limit(limit: int) -> None: ...
def thread_limit() -> int: ...
def set_memory_budget(bytes: int) -> None: ...
def memory_budget() -> int: ...
