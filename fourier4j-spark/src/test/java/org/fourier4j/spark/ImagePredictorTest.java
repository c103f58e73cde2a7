package org.fourier4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
            List<Classifications.Classification> ranked = expected.get(i).topK(2);
            assertTrue(
                    ranked.get(0).getProbability() - ranked.get(1).getProbability() > 1e-4,
                    name + ": the reference's top two are apart, so its top-1 label is defined");
            Classifications.Classification best = expected.get(i).best();
            assertEquals(best.getClassName(), got.getString(got.fieldIndex("label")), name);
            assertEquals(
                    best.getProbability(),
                    got.getDouble(got.fieldIndex("probability")),
                    1e-4,
                    name);
        }
    }

    @Test
    void oneModelLoadPerJvmAcrossPartitionsTasksAndJobs() throws Exception {
        Path copy = tmp.resolve("model-copy");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Dataset<Row> files =
                spark.read().format("binaryFile").load(folder.toString()).repartition(4);
        ImagePredictor predictor =
                new ImagePredictor().setModelDir(copy.toString()).setTopK(1).setBatchSize(4);
        int before = ModelCache.loads();
        long first = predictor.transform(files).count();
        long second = predictor.transform(files).filter("error is null").count();
        assertEquals(images.size() + 1, first);
        assertEquals(images.size(), second);
        assertEquals(before + 1, ModelCache.loads(), "4 partitions, 2 jobs, 2 task threads");
        ModelCache.release(copy.toString());
    }

    @Test
    void anyBinaryColumnWorksAndTheInputColumnsAreKept() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(RowFactory.create("id-" + i, Files.readAllBytes(images.get(i))));
        }
        StructType schema =
                new StructType().add("id", DataTypes.StringType).add("bytes", DataTypes.BinaryType);
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        ImagePredictor predictor =
                new ImagePredictor()
                        .setModelDir(model.toString())
                        .setInputCol("bytes")
                        .setPredictionsCol("top")
                        .setEmbed(true)
                        .setTopK(2);
        Dataset<Row> out = predictor.transform(df);
        assertEquals(
                List.of("id", "bytes", "top", "embedding", "error"),
                Arrays.asList(out.schema().fieldNames()));
        List<Row> got = out.orderBy("id").collectAsList();
        for (int i = 0; i < 3; i++) {
            Row r = got.get(i);
            assertEquals("id-" + i, r.getString(0));
            List<Row> top = r.getList(2);
            assertEquals(2, top.size());
            assertEquals(expected.get(i).best().getClassName(), top.get(0).getString(1));
            assertEquals(32, r.getList(3).size(), "convnext dims end at 32");
            assertTrue(r.isNullAt(4));
        }
    }

    @Test
    void wrongColumnsAreRefusedByName() {
        Dataset<Row> files = spark.read().format("binaryFile").load(folder.toString());
        String missing =
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        new ImagePredictor()
                                                .setModelDir(model.toString())
                                                .setInputCol("image")
                                                .transform(files))
                        .getMessage();
        assertTrue(missing.contains("no column 'image' of image bytes (columns: path,"), missing);
        String type =
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        new ImagePredictor()
                                                .setModelDir(model.toString())
                                                .setInputCol("path")
                                                .transform(files))
                        .getMessage();
        assertTrue(
                type.contains("column 'path' must hold image bytes (binary), but it is string"),
                type);
        String clash =
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        new ImagePredictor()
                                                .setModelDir(model.toString())
                                                .setErrorCol("length")
                                                .transform(files))
                        .getMessage();
        assertTrue(clash.contains("output column 'length' already exists"), clash);
        String unset =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ImagePredictor().transform(files))
                        .getMessage();
        assertTrue(unset.contains("modelDir is not set"), unset);
        assertThrows(IllegalArgumentException.class, () -> new ImagePredictor().setTopK(0));
    }

    @Test
    void savedAndReadBackAlone() throws Exception {
        ImagePredictor p =
                new ImagePredictor().setModelDir(model.toString()).setTopK(7).setEmbed(true);
        String path = tmp.resolve("saved-predictor").toString();
        p.write().save(path);
        ImagePredictor back = ImagePredictor.load(path);
        assertEquals(p.uid(), back.uid());
        assertEquals(7, (int) back.getOrDefault(back.topK()));
        assertEquals(true, back.getOrDefault(back.embed()));
        assertEquals(model.toString(), back.getOrDefault(back.modelDir()));
        ImagePredictor copy = back.copy(new ParamMap().put(back.topK().w(2)));
        assertEquals(back.uid(), copy.uid());
        assertEquals(2, (int) copy.getOrDefault(copy.topK()));
        assertEquals(true, copy.getOrDefault(copy.embed()));
    }
}
