package org.fourier4j.inference.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of the engine choice that need no second engine. */
class EngineChoiceRulesTest {

    @Test
    void anotherEngineReplacesDjlOnlyWhenClearlyFaster() {
        assertTrue(EngineChoice.otherWins(0.5));
        assertTrue(EngineChoice.otherWins(0.94));
        assertFalse(EngineChoice.otherWins(0.96), "within timing noise DJL stays");
        assertFalse(EngineChoice.otherWins(1.5));
    }

    @Test
    void withoutAnotherEngineOnTheClassPathTheChoicesAreDjlAndAuto() {
        // this module's tests see no engine: fourier4j-onnx registers ONNX Runtime
        assertEquals(List.of("djl", "auto"), EngineChoice.choices());
        assertEquals(null, EngineChoice.find("onnxruntime"));
    }
}
