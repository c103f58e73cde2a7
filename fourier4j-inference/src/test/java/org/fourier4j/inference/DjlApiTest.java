package org.fourier4j.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.fourier4j.inference.djl.ClassificationTranslator;
import org.fourier4j.inference.djl.Fourier4jModelZoo;
import org.fourier4j.inference.djl.Fourier4jTranslatorFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL's conventions on a model directory: {@code Criteria.optModelPath} gives a classifier and a
 * feature extractor that compute what the model directory's own forward pass computes, and
 * predictors on several threads sharing one model give what one thread gives.
 */
class DjlApiTest {

    @TempDir static Path tmp;
    static Path dir;
    static List<Path> images = new ArrayList<>();

    @BeforeAll
    static void importAndDraw() throws Exception {
        dir = tmp.resolve("convnext");
        WeightImporter.importTo(
                ImportExportTest.request(
                        ImportExportTest.fixture("convnext-small.safetensors"),
                        ImportExportTest.SMALL),
                dir);
        Random r = new Random(7);
        for (int i = 0; i < 6; i++) {
            int w = 40 + 17 * i;
            int h = 90 - 9 * i;
            BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    im.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            Path p = tmp.resolve("im" + i + ".png");
            ImageIO.write(im, "png", p.toFile());
            images.add(p);
        }
    }

    /** The reference: the model directory's own forward pass on the preprocessed image. */
    static NDList direct(LoadedModel m, Path image, NDManager scope) throws Exception {
        BufferedImage b = ImageIO.read(image.toFile());
        int w = b.getWidth();
        int h = b.getHeight();
        ImagePreprocessor p = new ImagePreprocessor(m.card().preprocessing());
        float[] x = p.normalise(p.pixels(b.getRGB(0, 0, w, h, null, 0, w), w, h));
        int c = m.card().preprocessing().crop();
        NDArray in = scope.create(x, new ai.djl.ndarray.types.Shape(1, 3, c, c));
        return m.forward(in);
    }

    @Test
    void classifierAndFeatureExtractorEqualTheModelsOwnForwardPass() throws Exception {
        try (LoadedModel m = ModelDirectory.open(dir);
                NDManager scope = NDManager.newBaseManager();
                ZooModel<Image, Classifications> cls = Fourier4jModels.classifier(dir);
                ZooModel<Image, float[]> feat = Fourier4jModels.featureExtractor(dir);
                Predictor<Image, Classifications> p = cls.newPredictor();
                Predictor<Image, float[]> f = feat.newPredictor()) {
            for (Path image : images) {
                NDList ref = direct(m, image, scope);
                Image im = ImageFactory.getInstance().fromFile(image);
                Classifications c = p.predict(im);
                List<Double> probs = ClassificationTranslator.softmax(ref.get(0).toFloatArray());
                for (int k = 0; k < probs.size(); k++) {
                    String name = m.card().classes().get(k);
                    assertEquals(
                            probs.get(k), c.get(name).getProbability(), 1e-6, image + " " + name);
                }
                float[] features = f.predict(im);
                float[] expected = ref.get(1).toFloatArray();
                assertEquals(expected.length, features.length);
                for (int k = 0; k < expected.length; k++) {
                    assertEquals(expected[k], features[k], 1e-5, image + " feature " + k);
                }
            }
        }
    }

    @Test
    void theZooProviderAndThePlainCriteriaGiveTheSameModel() throws Exception {
        Image im = ImageFactory.getInstance().fromFile(images.get(0));
        Criteria<Image, Classifications> byZoo =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optGroupId(Fourier4jModelZoo.GROUP_ID)
                        .optArtifactId("convnext-t")
                        .optArgument("modelDir", dir.toString())
                        .build();
        Criteria<Image, Classifications> byPath =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optModelPath(dir)
                        .optArgument(
                                "translatorFactory", Fourier4jTranslatorFactory.class.getName())
                        .build();
        try (ZooModel<Image, Classifications> a = byZoo.loadModel();
                ZooModel<Image, Classifications> b = byPath.loadModel();
                ZooModel<Image, Classifications> c = Fourier4jModels.classifier(dir);
                Predictor<Image, Classifications> pa = a.newPredictor();
                Predictor<Image, Classifications> pb = b.newPredictor();
                Predictor<Image, Classifications> pc = c.newPredictor()) {
            Classifications ra = pa.predict(im);
            Classifications rb = pb.predict(im);
            Classifications rc = pc.predict(im);
            assertEquals(rc.best().getClassName(), ra.best().getClassName());
            assertEquals(rc.best().getProbability(), ra.best().getProbability(), 1e-9);
            assertEquals(rc.best().getProbability(), rb.best().getProbability(), 1e-9);
        }
        Criteria<Image, float[]> architecture =
                Criteria.builder()
                        .setTypes(Image.class, float[].class)
                        .optGroupId(Fourier4jModelZoo.GROUP_ID)
                        .optArtifactId("convnext-t")
                        .optArgument("imageSize", "32")
                        .optArgument("override.depths", "1,1,1,1")
                        .optArgument("override.dims", "8,16,16,32")
                        .build();
        try (ZooModel<Image, float[]> m = architecture.loadModel();
                Predictor<Image, float[]> p = m.newPredictor()) {
            assertEquals(32, p.predict(im).length, "features of a fresh convnext-t with dims ..32");
        }
    }

    @Test
    void predictorsOnSeveralThreadsAgreeWithOneThread() throws Exception {
        try (ZooModel<Image, Classifications> model = Fourier4jModels.classifier(dir)) {
            List<Image> ims = new ArrayList<>();
            for (Path p : images) {
                ims.add(ImageFactory.getInstance().fromFile(p));
            }
            List<Classifications> single;
            try (Predictor<Image, Classifications> p = model.newPredictor()) {
                single = p.batchPredict(ims);
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<List<Classifications>>> futures = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    futures.add(
                            pool.submit(
                                    () -> {
                                        try (Predictor<Image, Classifications> p =
                                                model.newPredictor()) {
                                            List<Classifications> out = new ArrayList<>();
                                            for (int round = 0; round < 3; round++) {
                                                out.clear();
                                                for (Image im : ims) {
                                                    out.add(p.predict(im));
                                                }
                                            }
                                            return out;
                                        }
                                    }));
                }
                for (Future<List<Classifications>> fu : futures) {
                    List<Classifications> got = fu.get();
                    for (int i = 0; i < ims.size(); i++) {
                        assertEquals(
                                single.get(i).best().getClassName(),
                                got.get(i).best().getClassName());
                        assertEquals(
                                single.get(i).best().getProbability(),
                                got.get(i).best().getProbability(),
                                1e-6);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(single.size() == ims.size());
        }
    }
}
