package org.fourier4j.onnx.exporters;

import java.lang.reflect.Field;
import org.fourier4j.onnx.OnnxExportException;

/**
 * Reads configuration that DJL keeps in private or protected fields without a getter: {@code
 * LayerNorm.epsilon}, {@code BatchNorm.epsilon} and {@code BatchNorm.axis}, and the function of a
 * {@code LambdaBlock} (to recognise DJL's activation blocks). There is no public API for them (DJL
 * 0.35.1 saves none of them with the parameters either), so reflection is unavoidable here; a
 * missing field (another DJL version) is an export error naming it.
 */
final class DjlFields {

    private DjlFields() {}

    static Object read(Object target, Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new OnnxExportException(
                    "cannot read "
                            + owner.getName()
                            + "."
                            + name
                            + " (needed to export it; is this DJL version supported?): "
                            + e,
                    e);
        }
    }

    static float readFloat(Object target, Class<?> owner, String name) {
        return ((Number) read(target, owner, name)).floatValue();
    }

    static int readInt(Object target, Class<?> owner, String name) {
        return ((Number) read(target, owner, name)).intValue();
    }
}
