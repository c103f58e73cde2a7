package org.fourier4j.fft;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConvAutoTuner}'s cost models: one calibration per data type and thread count, the
 * validation points measured decisions leave ({@link ModelValidation}), and recalibration when
 * measurements contradict a calibration. Calibrations and points are kept in the {@link
 * AutotuneStore} under {@value #MODEL} and {@value #POINT}.
 */
final class CostModels {

    static final String MODEL = "model.";
    static final String POINT = "point.";

    /** Inference measurements missing the model by more than this count against it... */
    static final double MISS = ConvDecider.CONTRADICTION;

    /** ...and this many such recalibrate it (once per process and model). */
    static final int STRIKES_TO_RECALIBRATE = 2;

    /** A recalibration that moves a rate by more than this drops the model's validation points. */
    static final double RECALIBRATION_CHANGE = 1.5;

    private static final Logger LOGGER = LoggerFactory.getLogger(CostModels.class);

    /** The model's view of one call shape. */
    static final class Forecast {
        final String modelKey;
        final String family;
        final int extent;
        final double baseDirectMs;
        final double baseFftMs;
        final ConvDecider.Prediction prediction;

        Forecast(
                String modelKey,
                String family,
                int extent,
                double baseDirectMs,
                double baseFftMs,
                ConvDecider.Prediction prediction) {
            this.modelKey = modelKey;
            this.family = family;
            this.extent = extent;
            this.baseDirectMs = baseDirectMs;
            this.baseFftMs = baseFftMs;
            this.prediction = prediction;
        }
    }

    private final AutotuneStore store;
    private final Calibration.Calibrator calibrator;
    private final ModelValidation validation = new ModelValidation();
    private final Map<String, CostModel> models = new ConcurrentHashMap<>();
    private final Map<String, Integer> strikes = new ConcurrentHashMap<>();
    private final Set<String> recalibrated = ConcurrentHashMap.newKeySet();

    CostModels(AutotuneStore store, Calibration.Calibrator calibrator) {
        this.store = store;
        this.calibrator = calibrator;
    }

    static String modelKey(DataType dt) {
        return dt.name().toLowerCase(Locale.ROOT) + " t" + ConvAutoTuner.threads();
    }

    /** Takes a stored calibration or point; ignores other keys and unreadable values. */
    void load(String key, Map<String, String> fields) {
        if (key.startsWith(MODEL)) {
            CostModel m = CostModel.decode(fields.getOrDefault("rates", ""));
            if (m != null) {
                models.putIfAbsent(key.substring(MODEL.length()), m);
            }
        } else if (key.startsWith(POINT)) {
            ModelValidation.Point p = ModelValidation.Point.fromFields(fields);
            if (p != null) {
                validation.put(key.substring(POINT.length()), p);
            }
        }
    }

    /**
     * The model's predictions for a call, corrected where validated.
     *
     * @param g the call
     * @param mode the key's mode ({@link ConvAutoTuner#mode})
     * @param kernelCached whether FFT reuses the kernel spectrum
     * @param parent for calibrating
     */
    Forecast forecast(ConvGeometry g, String mode, boolean kernelCached, NDManager parent) {
        String modelKey = modelKey(g.dataType());
        CostModel model = model(parent, g.dataType());
        double pd = model.directMs(g);
        double pf = model.fftMs(g, kernelCached);
        String family = ModelValidation.family(g, mode);
        int extent = ModelValidation.extent(g);
        double[] c = validation.correction(modelKey, family, extent);
        ConvDecider.Prediction p =
                c == null
                        ? new ConvDecider.Prediction(pd, pf, false)
                        : new ConvDecider.Prediction(pd * c[0], pf * c[1], true);
        return new Forecast(modelKey, family, extent, pd, pf, p);
    }

    /**
     * Learns from a persisted measured decision: leaves its validation point, and counts it against
     * the calibration when it is an inference measurement (what the model predicts) that missed.
     */
    void learn(
            String key,
            Forecast f,
            ConvDecision d,
            boolean inference,
            NDManager parent,
            DataType dt) {
        ModelValidation.Point point =
                new ModelValidation.Point(
                        f.modelKey,
                        f.family,
                        f.extent,
                        d.directMs() / f.baseDirectMs,
                        d.fftMs() / f.baseFftMs);
        validation.put(key, point);
        store.put(POINT + key, store.stamped(point.fields()));
        boolean missed =
                Math.max(point.directRatio(), 1 / point.directRatio()) > MISS
                        || Math.max(point.fftRatio(), 1 / point.fftRatio()) > MISS;
        if (!inference || !missed || recalibrated.contains(f.modelKey)) {
            return;
        }
        if (strikes.merge(f.modelKey, 1, Integer::sum) >= STRIKES_TO_RECALIBRATE) {
            recalibrate(f.modelKey, parent, dt);
        }
    }

    private void recalibrate(String modelKey, NDManager parent, DataType dt) {
        recalibrated.add(modelKey);
        CostModel old = models.get(modelKey);
        Calibration fresh = calibrator.calibrate(parent, dt);
        models.put(modelKey, fresh.model);
        if (fresh.stable) {
            store.put(MODEL + modelKey, modelRecord(fresh.model));
        }
        if (old != null && old.maxRateFactor(fresh.model) > RECALIBRATION_CHANGE) {
            dropPoints(modelKey);
        }
        LOGGER.info(
                "Recalibrated the convolution cost model for {} after measurements contradicted"
                        + " it: {} -> {}",
                modelKey,
                old == null ? "none" : old.encode(),
                fresh.model.encode());
    }

    /** The calibrated cost model for a data type at the current thread count (calibrates once). */
    CostModel model(NDManager parent, DataType dt) {
        String key = modelKey(dt);
        CostModel m = models.get(key);
        if (m != null) {
            return m;
        }
        synchronized (this) {
            m = models.get(key);
            if (m == null) {
                Calibration c = calibrator.calibrate(parent, dt);
                m = c.model;
                models.put(key, m);
                // points measured against a model that was never persisted are orphans
                dropPoints(key);
                if (c.stable) {
                    store.put(MODEL + key, modelRecord(m));
                }
                LOGGER.info(
                        "Calibrated convolution cost model for {}: {}{}",
                        key,
                        m.encode(),
                        c.stable ? "" : " (unstable or loaded timings: not persisted)");
            }
            return m;
        }
    }

    private void dropPoints(String modelKey) {
        for (String k : validation.dropModel(modelKey)) {
            store.update(s -> s.remove(POINT + k));
        }
    }

    private String modelRecord(CostModel m) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("rates", m.encode());
        return store.stamped(f);
    }
}
