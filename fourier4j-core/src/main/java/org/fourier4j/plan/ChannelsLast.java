package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Puts a (B, C, H, W) array in channels-last memory without changing its logical shape: a copy in
 * (B, H, W, C) order, viewed back as (B, C, H, W). The engine's operators keep that memory format
 * through convolutions and element-wise steps.
 */
final class ChannelsLast {

    private ChannelsLast() {}

    /**
     * @param x (B, C, H, W)
     * @return the same values, laid out channels-last, in x's manager
     */
    static NDArray of(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        // flattening the (B, H, W, C) view cannot be a view: the engine copies it in that order
        try (NDArray last = x.transpose(0, 2, 3, 1);
                NDArray flat = last.reshape(b, h * w * c);
                NDArray copy = flat.reshape(b, h, w, c)) {
            return copy.transpose(0, 3, 1, 2);
        }
    }
}
