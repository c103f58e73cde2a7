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
        assertTrue(EngineChoice.otherWins(100, 50));
        assertTrue(EngineChoice.otherWins(100, 94));
        assertFalse(EngineChoice.otherWins(100, 96), "within timing noise DJL stays");
        assertFalse(EngineChoice.otherWins(100, 150));
    }

    @Test
    void withoutAnotherEngineOnTheClassPathTheChoicesAreDjlAndAuto() {
        // this module's tests see no engine: fourier4j-onnx registers ONNX Runtime
        assertEquals(List.of("djl", "auto"), EngineChoice.choices());
        assertEquals(null, EngineChoice.find("onnxruntime"));
    }
}
