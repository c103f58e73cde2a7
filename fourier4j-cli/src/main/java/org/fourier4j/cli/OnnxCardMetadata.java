package org.fourier4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.inference.ModelCard;

/**
 * What an exported ONNX file carries of its model directory's card, as metadata properties: the
 * image size the graph takes, the card's preprocessing (resize, crop, interpolation, mean, std) and
 * class names as JSON, and the form and source of the weights, so that a runtime outside the JVM
 * prepares images and names classes as fourier4j does.
 */
final class OnnxCardMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxCardMetadata() {}

    /**
     * The properties of a card for a graph taking images of one size.
     *
     * @param card the model directory's card
     * @param imageSize the size the graph takes
     * @return the properties, in order
     */
    static Map<String, String> of(ModelCard card, int imageSize) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("fourier4j.image_size", Integer.toString(imageSize));
        out.put("fourier4j.in_channels", Integer.toString(card.inChannels()));
        out.put("fourier4j.form", card.form());
        try {
            if (card.preprocessing() != null) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("resize", card.preprocessing().resize());
                p.put("crop", card.preprocessing().crop());
                p.put("interpolation", card.preprocessing().interpolation().toString());
                p.put("mean", card.preprocessing().mean());
                p.put("std", card.preprocessing().std());
                out.put("fourier4j.preprocessing", JSON.writeValueAsString(p));
            }
            out.put("fourier4j.classes", JSON.writeValueAsString(card.classes()));
            if (!card.overrides().isEmpty()) {
                out.put("fourier4j.overrides", JSON.writeValueAsString(card.overrides()));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the model card cannot be written as JSON", e);
        }
        return out;
    }
}
