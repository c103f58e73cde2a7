package org.fourier4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's ONNX example, as written there (only the file's folder differs). */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] pixels = ExportTesting.randomInput(new Shape(1, 3, 224, 224), 1);
            float[] y;
            // --- README ---
            ImageClassifier model = ModelZoo.create("affnet-et", ModelOptions.builder().build());
            model.initialize(manager, DataType.FLOAT32, model.inputShape()); // then load weights
            Path file = dir.resolve("affnet-et.onnx");
            OnnxExport.export(model, OnnxExportOptions.defaults(), file); // at its 224x224
            try (OnnxRuntimeSession session = OnnxRuntimeSession.open(file, 2)) {
                y = session.run(pixels, 1, 3, 224, 224).data();
            }
            // --- end ---
            ExportTesting.assertClose(
                    ExportTesting.forward(manager, model, pixels, new Shape(1, 3, 224, 224)),
                    y,
                    "README example");
            assertEquals(1000, y.length);
        }
    }
}
