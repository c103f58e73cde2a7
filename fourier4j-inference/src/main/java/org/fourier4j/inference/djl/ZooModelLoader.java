package org.fourier4j.inference.djl;

import ai.djl.Application;
import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import ai.djl.util.Progress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelInfo;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;

/** Loads one zoo name for DJL's {@code Criteria} (see {@link Fourier4jModelZoo}). */
final class ZooModelLoader implements ModelLoader {

    private final String name;
    private final MRL mrl;

    ZooModelLoader(String name) {
        this.name = name;
        Path home = Paths.get(System.getProperty("java.io.tmpdir"));
        this.mrl =
                MRL.model(
                        Repository.newInstance("fourier4j", home),
                        Application.CV.IMAGE_CLASSIFICATION,
                        Fourier4jModelZoo.GROUP_ID,
                        name,
                        "0.1",
                        name);
    }

    @Override
    public String getGroupId() {
        return Fourier4jModelZoo.GROUP_ID;
    }

    @Override
    public String getArtifactId() {
        return name;
    }

    @Override
    public Application getApplication() {
        return Application.CV.IMAGE_CLASSIFICATION;
    }

    @Override
    public MRL getMrl() {
        return mrl;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria) throws ModelNotFoundException {
        if (!Fourier4jModelZoo.GROUP_ID.equals(criteria.getGroupId())) {
            // only asked-for models: a criteria without a group id must not land here by chance
            throw new ModelNotFoundException(
                    "fourier4j models need optGroupId(\"" + Fourier4jModelZoo.GROUP_ID + "\")");
        }
        boolean classes = criteria.getOutputClass() == Classifications.class;
        boolean features = criteria.getOutputClass() == float[].class;
        if (criteria.getInputClass() != Image.class || !(classes || features)) {
            throw new ModelNotFoundException(
                    "fourier4j models translate Image to Classifications or float[], not "
                            + criteria.getInputClass()
                            + " to "
                            + criteria.getOutputClass());
        }
        Map<String, Object> args = criteria.getArguments();
        Model model = Model.newInstance(name, criteria.getDevice(), "PyTorch");
        try {
            ModelCard card;
            ImageClassifier network;
            Object dir = args.get("modelDir");
            if (dir != null) {
                LoadedModel loaded =
                        ModelDirectory.open(
                                Paths.get(dir.toString()),
                                ModelDirectory.OpenOptions.defaults(),
                                model.getNDManager());
                card = loaded.card();
                network = loaded.model();
                if (!card.model().equals(name)) {
                    throw new ModelNotFoundException(
                            dir + " holds " + card.model() + ", not " + name);
                }
            } else {
                card = freshCard(args);
                network = ModelZoo.create(name, card.options());
                long seed = Long.parseLong(String.valueOf(args.getOrDefault("seed", "0")));
                model.getNDManager().getEngine().setRandomSeed((int) seed);
                int s = card.imageSize();
                network.initialize(
                        model.getNDManager(),
                        DataType.FLOAT32,
                        new Shape(1, card.inChannels(), s, s));
            }
            model.setBlock(new InferenceBlock(network, card.engineIdentity()));
            Translator<I, O> translator =
                    classes
                            ? (Translator<I, O>) new ClassificationTranslator(card, topK(args))
                            : (Translator<I, O>) new FeatureTranslator(card);
            return new ZooModel<>(model, translator);
        } catch (RuntimeException | ModelNotFoundException e) {
            model.close();
            throw e instanceof ModelNotFoundException
                    ? (ModelNotFoundException) e
                    : new ModelNotFoundException(name + ": " + e.getMessage(), e);
        }
    }

    private ModelCard freshCard(Map<String, Object> args) {
        ModelInfo info = ModelZoo.info(name);
        ModelOptions.Builder b =
                ModelOptions.builder()
                        .numClasses(intArg(args, "numClasses", info.reportedNumClasses()))
                        .imageSize(intArg(args, "imageSize", info.defaultImageSize()));
        args.forEach(
                (k, v) -> {
                    if (k.startsWith("override.")) {
                        b.override(k.substring("override.".length()), v);
                    }
                });
        ModelOptions o = b.build();
        return ModelCard.of(
                name, o, ModelCard.TRAINING, Preprocessing.imagenet(o.imageSize()), null, Map.of());
    }

    private static int intArg(Map<String, Object> args, String key, int fallback) {
        Object v = args.get(key);
        return v == null ? fallback : Integer.parseInt(v.toString());
    }

    private static int topK(Map<String, Object> args) {
        return intArg(args, "topK", 5);
    }

    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return true;
    }

    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {
        // nothing to download: weights come from a local model directory or are initialised
    }

    @Override
    public String toString() {
        return Fourier4jModelZoo.GROUP_ID + ":" + name;
    }
}
