package org.fourier4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Path;
import org.fourier4j.nn.GlobalFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's ONNX example, as written there (only the file's folder differs). */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] x = ExportTesting.randomInput(new Shape(4, 14, 14, 256), 1);
            float[] y;
            // --- README ---
            Block mixer = GlobalFilter.builder().optGridSize(14, 14).build();
            mixer.initialize(manager, DataType.FLOAT32, new Shape(1, 14, 14, 256));
            Path file = dir.resolve("global-filter.onnx");
            OnnxExport.export(mixer, new Shape(1, 14, 14, 256), OnnxExportOptions.defaults(), file);
            try (OnnxRuntimeSession session = OnnxRuntimeSession.open(file, 2)) {
                y = session.run(x, 4, 14, 14, 256).data(); // any batch
            }
            // --- end ---
            ExportTesting.assertClose(
                    ExportTesting.forward(manager, mixer, x, new Shape(4, 14, 14, 256)),
                    y,
                    "README example");
            assertEquals(x.length, y.length);
        }
    }
}
