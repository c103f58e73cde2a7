package org.fourier4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fourier4j.inference.Fourier4jModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer on local[2] over the bundled CIFAR-10 sample's images, against the single-JVM
 * predictor.
 */
class ImagePredictorTest {

    @TempDir static Path tmp;
    static Path model;
    static Path folder;
    static List<Path> images;
    static List<Classifications> expected;
    static SparkSession spark;

    @BeforeAll
    static void setUp() throws Exception {
        model = TestImages.model(tmp.resolve("model"));
        folder = tmp.resolve("images");
        images = TestImages.cifarPngs(folder, 24);
        TestImages.undecodable(folder.resolve("broken.png"));
        expected = singleJvmPredictions(images);
        spark = SparkSessions.start("local[2]", "fourier4j-test");
    }

    /** The reference: DJL's predictor on the model directory, in this JVM. */
    static List<Classifications> singleJvmPredictions(List<Path> files) throws Exception {
        try (ZooModel<Image, Classifications> m = Fourier4jModels.classifier(model);
                Predictor<Image, Classifications> p = m.newPredictor()) {
            List<Image> ims = new ArrayList<>();
            for (Path f : files) {
                ims.add(ImageFactory.getInstance().fromFile(f));
            }
            return p.batchPredict(ims);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void everyImageGetsTheSingleJvmPredictorsTopClassAndTheBrokenFileItsErrorRow()
            throws Exception {
        Dataset<Row> files = spark.read().format("binaryFile").load(folder.toString());
        ImagePredictor predictor = new ImagePredictor().setModelDir(model.toString()).setTopK(3);
        List<Row> rows = predictor.rankRows(predictor.transform(files), "path").collectAsList();

        Map<String, Row> top1 = new HashMap<>();
        Map<String, Row> errors = new HashMap<>();
        for (Row r : rows) {
            String name = Paths.get(new java.net.URI(r.getString(0))).getFileName().toString();
            if (r.isNullAt(r.fieldIndex("error"))) {
                if (r.getInt(r.fieldIndex("rank")) == 1) {
                    top1.put(name, r);
                }
            } else {
                errors.put(name, r);
            }
        }
        assertEquals(images.size() * 3 + 1, rows.size(), "3 ranks per image, one error row");
        assertEquals(List.of("broken.png"), new ArrayList<>(errors.keySet()));
        Row broken = errors.get("broken.png");
        assertTrue(broken.getString(broken.fieldIndex("error")).contains("cannot be decoded"));
        assertNull(broken.get(broken.fieldIndex("rank")));

        for (int i = 0; i < images.size(); i++) {
            String name = images.get(i).getFileName().toString();
            Row got = top1.get(name);
            assertNotNull(got, name);
            Classifications.Classification best = expected.get(i).best();
            assertEquals(best.getClassName(), got.getString(got.fieldIndex("label")), name);
            assertEquals(
                    best.getProbability(),
                    got.getDouble(got.fieldIndex("probability")),
                    1e-4,
                    name);
        }
    }
}
