package org.fourier4j.fft;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One AUTO decision ({@link ConvAutoTuner}): the algorithm chosen for a call shape and the evidence
 * behind it. Immutable.
 */
public final class ConvDecision {

    /** How a decision was reached. */
    public enum Source {
        /** Timed side by side on this machine (floors of interleaved rounds). */
        MEASURED,
        /** Predicted by the calibrated cost model. */
        MODEL
    }

    private final ConvAlgorithm algorithm;
    private final Source source;
    private final double directMs;
    private final double fftMs;
    private final double predictedDirectMs;
    private final double predictedFftMs;
    private final double referenceMs;
    private final int rounds;
    private final int sessions;
    private final boolean persisted;
    private final boolean contradicted;
    private final boolean verified;
    private final int redecisions;
    private final String reason;

    ConvDecision(
            ConvAlgorithm algorithm,
            Source source,
            double directMs,
            double fftMs,
            double predictedDirectMs,
            double predictedFftMs,
            double referenceMs,
            int rounds,
            int sessions,
            boolean persisted,
            boolean contradicted,
            boolean verified,
            int redecisions,
            String reason) {
        if (algorithm == ConvAlgorithm.AUTO || algorithm == null) {
            throw new IllegalArgumentException("a decision is DIRECT or FFT, got " + algorithm);
        }
        this.algorithm = algorithm;
        this.source = source;
        this.directMs = directMs;
        this.fftMs = fftMs;
        this.predictedDirectMs = predictedDirectMs;
        this.predictedFftMs = predictedFftMs;
        this.referenceMs = referenceMs;
        this.rounds = rounds;
        this.sessions = sessions;
        this.persisted = persisted;
        this.contradicted = contradicted;
        this.verified = verified;
        this.redecisions = redecisions;
        this.reason = reason;
    }

    /** A copy marked verified (or not) by a later measurement. */
    ConvDecision withVerified(boolean verified) {
        return new ConvDecision(
                algorithm,
                source,
                directMs,
                fftMs,
                predictedDirectMs,
                predictedFftMs,
                referenceMs,
                rounds,
                sessions,
                persisted,
                contradicted,
                verified,
                redecisions,
                reason);
    }

    /**
     * @return DIRECT or FFT
     */
    public ConvAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * @return whether measured or predicted
     */
    public Source source() {
        return source;
    }

    /**
     * @return the DIRECT time behind the decision (measured floor, or prediction), ms
     */
    public double directMs() {
        return directMs;
    }

    /**
     * @return the FFT time behind the decision (measured floor, or prediction), ms
     */
    public double fftMs() {
        return fftMs;
    }

    /**
     * @return the cost model's DIRECT prediction (corrected where validated), ms
     */
    public double predictedDirectMs() {
        return predictedDirectMs;
    }

    /**
     * @return the cost model's FFT prediction (corrected where validated), ms
     */
    public double predictedFftMs() {
        return predictedFftMs;
    }

    /**
     * @return the time the chosen algorithm is expected to take per call as AUTO runs it (the
     *     forward pass), against which calls in use are checked, ms
     */
    public double referenceMs() {
        return referenceMs;
    }

    /**
     * @return timed rounds behind the decision (0 for the model)
     */
    public int rounds() {
        return rounds;
    }

    /**
     * @return measurement sessions (2 when the first one contradicted the model or was unstable)
     */
    public int sessions() {
        return sessions;
    }

    /**
     * @return whether the decision is written to the disk cache (false: used in this process only,
     *     because its measurements disagreed with each other or could not be taken)
     */
    public boolean persisted() {
        return persisted;
    }

    /**
     * @return whether the measurement chose against the model's prediction by a wide factor (such a
     *     decision is checked more strictly in use)
     */
    public boolean contradicted() {
        return contradicted;
    }

    /**
     * @return whether a later measurement, in another session, chose the same algorithm (a decision
     *     that contradicted the model is re-measured once before it is trusted across processes)
     */
    public boolean verified() {
        return verified;
    }

    /**
     * @return how many times this shape has been re-decided after a check in use
     */
    public int redecisions() {
        return redecisions;
    }

    /**
     * @return why the decision was (re)taken
     */
    public String reason() {
        return reason;
    }

    /** The decision's fields for the disk cache (without the stamp). */
    Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("choice", algorithm.name());
        f.put("source", source.name());
        f.put("direct_ms", num(directMs));
        f.put("fft_ms", num(fftMs));
        f.put("pred_direct_ms", num(predictedDirectMs));
        f.put("pred_fft_ms", num(predictedFftMs));
        f.put("ref_ms", num(referenceMs));
        f.put("rounds", Integer.toString(rounds));
        f.put("sessions", Integer.toString(sessions));
        f.put("contradicted", Boolean.toString(contradicted));
        f.put("verified", Boolean.toString(verified));
        f.put("redecisions", Integer.toString(redecisions));
        f.put("reason", reason);
        return f;
    }

    /**
     * Reads {@link #fields()}' form.
     *
     * @return the decision (marked persisted), or null if a field is missing or malformed
     */
    static ConvDecision fromFields(Map<String, String> f) {
        try {
            ConvAlgorithm a = ConvAlgorithm.valueOf(f.get("choice"));
            double[] ms = new double[5];
            String[] names = {"direct_ms", "fft_ms", "pred_direct_ms", "pred_fft_ms", "ref_ms"};
            for (int i = 0; i < ms.length; i++) {
                ms[i] = Double.parseDouble(f.get(names[i]));
                if (!(ms[i] > 0) || Double.isInfinite(ms[i])) {
                    return null;
                }
            }
            return new ConvDecision(
                    a,
                    Source.valueOf(f.get("source")),
                    ms[0],
                    ms[1],
                    ms[2],
                    ms[3],
                    ms[4],
                    Integer.parseInt(f.get("rounds")),
                    Integer.parseInt(f.get("sessions")),
                    true,
                    Boolean.parseBoolean(f.get("contradicted")),
                    Boolean.parseBoolean(f.get("verified")),
                    Integer.parseInt(f.get("redecisions")),
                    f.getOrDefault("reason", ""));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s (%s: direct %.3f ms, fft %.3f ms; predicted %.3f / %.3f ms%s%s)",
                algorithm,
                source.name().toLowerCase(Locale.ROOT),
                directMs,
                fftMs,
                predictedDirectMs,
                predictedFftMs,
                persisted ? "" : "; not persisted",
                redecisions > 0 ? "; re-decided " + redecisions + "x: " + reason : "");
    }
}
