package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Measures the {@link CostModel}'s rates with small problems: a depthwise 9x9 and a dense 3x3
 * convolution, a 2-D real FFT round trip, an elementwise complex product, and the overhead of a
 * tiny convolution, interleaved over at least 0.4 s and summarised by their floors ({@link
 * FloorTiming}): a calibration taken during a burst of load would make every later prediction
 * wrong, as a single bad decision makes one shape wrong. One taken while other processes were busy
 * ({@link LoadMeter}) or with unstable floors is used but not persisted.
 */
final class Calibration {

    /** Warm-up 2; at least 5 rounds; until stable and 0.4 s, or 2 s, or 80 rounds; 2 ms samples. */
    static final FloorTiming.Limits LIMITS = new FloorTiming.Limits(2, 5, 80, 400, 2000, 2);

    /** Calibrates a model (replaced in tests). */
    @FunctionalInterface
    interface Calibrator {
        Calibration calibrate(NDManager parent, DataType dataType);
    }

    final CostModel model;

    /**
     * Whether every floor was seen more than once and other processes left the machine alone
     * meanwhile: only such calibrations are persisted.
     */
    final boolean stable;

    Calibration(CostModel model, boolean stable) {
        this.model = model;
        this.stable = stable;
    }

    /**
     * Calibrates on this machine.
     *
     * @param parent the manager whose sub-manager holds the arrays
     * @param dt the data type
     * @param clock the clock
     * @param meter the load of other processes
     * @return the model and whether its timings were stable
     */
    static Calibration run(NDManager parent, DataType dt, TimeSource clock, LoadMeter meter) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(1, 32, 48, 48), dt);
            NDArray dw = m.randomUniform(-1, 1, new Shape(32, 1, 9, 9), dt);
            NDArray dense = m.randomUniform(-1, 1, new Shape(32, 32, 3, 3), dt);
            NDArray tiny = m.randomUniform(-1, 1, new Shape(1, 1, 4, 4), dt);
            NDArray tinyW = m.randomUniform(-1, 1, new Shape(1, 1, 1, 1), dt);
            ConvOptions dwOpts = ConvOptions.builder().padding(4, 4).groups(32).build();
            ConvOptions denseOpts = ConvOptions.builder().padding(1, 1).build();
            ConvOptions tinyOpts = ConvOptions.builder().build();
            ConvGeometry dwG = ConvGeometry.resolve(2, x, dw, null, dwOpts);
            ConvGeometry denseG = ConvGeometry.resolve(2, x, dense, null, denseOpts);
            ConvGeometry tinyG = ConvGeometry.resolve(2, tiny, tinyW, null, tinyOpts);
            NDArray signal = m.randomUniform(-1, 1, new Shape(4, 32, 64, 64), dt);
            NDArray spectrum = signal.rfft(64, 3).fft(64, 2);
            LoadMeter.Interval load = meter.start();
            FloorTiming.Result r =
                    FloorTiming.run(
                            new Runnable[] {
                                () -> DirectConvolution.convolve(dwG, x, dw, null).close(),
                                () -> DirectConvolution.convolve(denseG, x, dense, null).close(),
                                () -> {
                                    try (NDArray f = signal.rfft(64, 3);
                                            NDArray f2 = f.fft(64, 2);
                                            NDArray i = f2.ifft(64, 2)) {
                                        i.irfft(64, 3).close();
                                    }
                                },
                                () -> spectrum.mul(spectrum).close(),
                                () -> DirectConvolution.convolve(tinyG, tiny, tinyW, null).close()
                            },
                            LIMITS,
                            clock,
                            null);
            double fftPointLogs = 2 * 4 * 32 * 64 * 64 * Math.log(64 * 64) / Math.log(2) / 2;
            double products = 4 * 32 * 64 * 33;
            double overhead = Math.max(r.floor(4), 0.005);
            CostModel model =
                    new CostModel(
                            dwG.directMacs() / positive(r.floor(0) - overhead),
                            denseG.directMacs() / positive(r.floor(1) - overhead),
                            fftPointLogs / positive(r.floor(2)),
                            products / positive(r.floor(3)),
                            overhead * 8);
            return new Calibration(model, r.stable() && !ConvDecider.busy(load.othersShare()));
        }
    }

    private static double positive(double ms) {
        return Math.max(ms, 1e-3);
    }
}
