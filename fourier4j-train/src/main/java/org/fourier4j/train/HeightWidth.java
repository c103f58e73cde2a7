package org.fourier4j.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A size given as one integer (square) or as {@code [height, width]}, as the seed project's {@code
 * img_size} and {@code patch_size}; written back as {@code [height, width]}.
 *
 * @param height rows
 * @param width columns
 */
public record HeightWidth(int height, int width) {

    /**
     * Checks the values.
     *
     * @param height positive
     * @param width positive
     */
    public HeightWidth {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("must be positive");
        }
    }

    /**
     * Reads {@code n}, {@code [h, w]} (numbers, or their text from the command line).
     *
     * @param node the JSON value
     * @return the size
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static HeightWidth of(JsonNode node) {
        if (node.isArray() && node.size() == 2) {
            return new HeightWidth(integer(node.get(0)), integer(node.get(1)));
        }
        if (!node.isArray()) {
            int n = integer(node);
            return new HeightWidth(n, n);
        }
        throw new IllegalArgumentException("must be an integer or a list of two integers");
    }

    private static int integer(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isTextual()) {
            try {
                return Integer.parseInt(n.textValue().strip());
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new IllegalArgumentException("must be an integer or a list of two integers");
    }

    /**
     * @return {@code [height, width]}
     */
    @JsonValue
    public List<Integer> toList() {
        return List.of(height, width);
    }

    /**
     * The side of a square size.
     *
     * @param key the configuration key, for the message
     * @param model the model that needs a square, for the message
     * @return the side
     * @throws ConfigException if height and width differ
     */
    public int square(String key, String model) {
        if (height != width) {
            throw new ConfigException(
                    key
                            + " ["
                            + height
                            + ", "
                            + width
                            + "] is not square: model '"
                            + model
                            + "' takes one size for height and width");
        }
        return height;
    }
}
