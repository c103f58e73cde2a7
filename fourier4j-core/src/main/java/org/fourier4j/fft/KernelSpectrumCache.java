package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the transformed kernel of one convolution layer for inference, so that a weight that has
 * not changed is not transformed again on every call.
 *
 * <p>Used only when no gradient is being recorded for the weight (inference, or a frozen weight):
 * the cached spectrum is a constant. Entries are keyed by the transform's shape (input size,
 * padding, stride, dilation; not the batch size) and hold a copy of the weight they were computed
 * from; a lookup compares the current weight with that copy in full ({@code contentEquals}, one
 * pass over the weight, far cheaper than the transform), so a weight updated in place by an
 * optimiser or replaced by loading invalidates the cache exactly. At most {@value #MAX_ENTRIES}
 * input sizes are kept per layer.
 *
 * <p>Arrays live in a sub-manager of the weight's manager and are freed with it, or by {@link
 * #clear()}. Thread-safe.
 */
public final class KernelSpectrumCache {

    static final int MAX_ENTRIES = 4;

    private NDManager manager;
    private NDArray weightCopy;
    private final Map<String, NDArray> spectra = new LinkedHashMap<>(8, 0.75f, true);
    private long hits;
    private long misses;

    /**
     * Returns the spectrum stored for {@code key} if {@code weight} still equals the weight it was
     * computed from.
     *
     * @param key the plan's kernel key
     * @param weight the current weight
     * @return the spectrum, or null
     */
    synchronized NDArray lookup(String key, NDArray weight) {
        if (manager == null || !manager.isOpen() || weightCopy == null) {
            misses++;
            return null;
        }
        NDArray spectrum = spectra.get(key);
        if (spectrum == null || !weightCopy.contentEquals(weight)) {
            misses++;
            return null;
        }
        hits++;
        return spectrum;
    }

    /**
     * Stores a spectrum computed from {@code weight}; takes ownership of {@code spectrum}.
     *
     * @param key the plan's kernel key
     * @param weight the weight the spectrum was computed from
     * @param spectrum the spectrum, detached from any gradient
     */
    synchronized void store(String key, NDArray weight, NDArray spectrum) {
        boolean usable = manager != null && manager.isOpen() && weightCopy != null;
        if (!usable || !weightCopy.contentEquals(weight)) {
            clear();
            manager = weight.getManager().newSubManager();
            weightCopy = weight.duplicate();
            weightCopy.attach(manager);
        }
        NDArray old = spectra.put(key, spectrum);
        spectrum.attach(manager);
        if (old != null && old != spectrum) {
            old.close();
        }
        while (spectra.size() > MAX_ENTRIES) {
            String eldest = spectra.keySet().iterator().next();
            spectra.remove(eldest).close();
        }
    }

    /** Frees every stored spectrum. */
    public synchronized void clear() {
        spectra.clear();
        weightCopy = null;
        if (manager != null && manager.isOpen()) {
            manager.close();
        }
        manager = null;
    }

    /**
     * @return how many lookups found a valid spectrum
     */
    public synchronized long hits() {
        return hits;
    }

    /**
     * @return how many lookups had to transform the kernel
     */
    public synchronized long misses() {
        return misses;
    }

    /**
     * @return the number of stored spectra
     */
    public synchronized int size() {
        return manager != null && manager.isOpen() ? spectra.size() : 0;
    }
}
