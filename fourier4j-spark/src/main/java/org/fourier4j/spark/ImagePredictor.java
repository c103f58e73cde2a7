package org.fourier4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that classifies, and optionally embeds, encoded images with a
 * fourier4j model directory. The input is any DataFrame with a column of image bytes: Spark's
 * {@code binaryFile} source gives one ({@code path}, {@code modificationTime}, {@code length},
 * {@code content}). Each row comes out with three columns appended:
 *
 * <ul>
 *   <li>{@code predictions}: the top k classes as {@code array<struct<rank: int, label: string,
 *       class_index: int, probability: double>>}, most probable first (null on error);
 *   <li>{@code embedding} (with {@code embed}): the features the classifier takes, {@code
 *       array<float>};
 *   <li>{@code error}: why the row has no prediction (undecodable bytes, a colour space other than
 *       RGB or grey, no bytes), or null. A bad image never fails the job.
 * </ul>
 *
 * <p>Each executor JVM loads the model once ({@link ModelCache}) and predicts a partition in
 * batches of {@code batchSize}, with the model card's own preprocessing; the results equal the
 * single-JVM predictor's ({@code Fourier4jModels.classifier}).
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("/data/images/*.jpg");
 * ImagePredictor predictor = new ImagePredictor().setModelDir("/models/convnext").setTopK(5);
 * Dataset<Row> predicted = predictor.transform(images);
 * predictor.rankRows(predicted, "path").write().csv("/out/predictions");
 * }</pre>
 */
public final class ImagePredictor extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelDir;
    private final Param<String> inputCol;
    private final Param<String> predictionsCol;
    private final Param<String> embeddingCol;
    private final Param<String> errorCol;
    private final BooleanParam embed;
    private final IntParam topK;
    private final IntParam batchSize;

    /** A predictor with a random uid. */
    public ImagePredictor() {
        this(Identifiable.randomUID("fourier4jImagePredictor"));
    }

    /**
     * A predictor with a given uid (used by Spark when it copies or reads one).
     *
     * @param uid the uid
     */
    public ImagePredictor(String uid) {
        this.uid = uid;
        modelDir =
                new Param<>(
                        this,
                        "modelDir",
                        "the model directory: a path every executor sees, or the name it was"
                                + " shipped under with spark-submit --archives or --files");
        inputCol = new Param<>(this, "inputCol", "the column of encoded image bytes");
        predictionsCol = new Param<>(this, "predictionsCol", "the output column of top classes");
        embeddingCol = new Param<>(this, "embeddingCol", "the output column of features");
        errorCol = new Param<>(this, "errorCol", "the output column of per-image errors");
        embed = new BooleanParam(this, "embed", "whether to output the features as well");
        topK =
                new IntParam(
                        this, "topK", "classes per image (at least 1)", ParamValidators.gtEq(1));
        batchSize =
                new IntParam(
                        this,
                        "batchSize",
                        "images per forward pass (at least 1)",
                        ParamValidators.gtEq(1));
        setDefault(inputCol, "content");
        setDefault(predictionsCol, "predictions");
        setDefault(embeddingCol, "embedding");
        setDefault(errorCol, "error");
        setDefault(embed, false);
        setDefault(topK, 5);
        setDefault(batchSize, 32);
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * @return the model directory parameter
     */
    public Param<String> modelDir() {
        return modelDir;
    }

    /**
     * @return the image-bytes column parameter (default {@code content})
     */
    public Param<String> inputCol() {
        return inputCol;
    }

    /**
     * @return the top-classes column parameter (default {@code predictions})
     */
    public Param<String> predictionsCol() {
        return predictionsCol;
    }

    /**
     * @return the features column parameter (default {@code embedding})
     */
    public Param<String> embeddingCol() {
        return embeddingCol;
    }

    /**
     * @return the error column parameter (default {@code error})
     */
    public Param<String> errorCol() {
        return errorCol;
    }

    /**
     * @return the parameter saying whether features are output (default false)
     */
    public BooleanParam embed() {
        return embed;
    }

    /**
     * @return the classes-per-image parameter (default 5)
     */
    public IntParam topK() {
        return topK;
    }

    /**
     * @return the batch-size parameter (default 32)
     */
    public IntParam batchSize() {
        return batchSize;
    }

    /**
     * @param value the model directory
     * @return this
     */
    public ImagePredictor setModelDir(String value) {
        set(modelDir, value);
        return this;
    }

    /**
     * @param value the image-bytes column
     * @return this
     */
    public ImagePredictor setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /**
     * @param value the top-classes column
     * @return this
     */
    public ImagePredictor setPredictionsCol(String value) {
        set(predictionsCol, value);
        return this;
    }

    /**
     * @param value the features column
     * @return this
     */
    public ImagePredictor setEmbeddingCol(String value) {
        set(embeddingCol, value);
        return this;
    }

    /**
     * @param value the error column
     * @return this
     */
    public ImagePredictor setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    /**
     * @param value whether to output the features
     * @return this
     */
    public ImagePredictor setEmbed(boolean value) {
        set(embed, value);
        return this;
    }

    /**
     * @param value classes per image (more than the model has gives all of them)
     * @return this
     */
    public ImagePredictor setTopK(int value) {
        set(topK, value);
        return this;
    }

    /**
     * @param value images per forward pass
     * @return this
     */
    public ImagePredictor setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelDir)) {
            throw new IllegalArgumentException("ImagePredictor: modelDir is not set");
        }
        String in = getOrDefault(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException(
                    "ImagePredictor: no column '"
                            + in
                            + "' of image bytes (columns: "
                            + String.join(", ", schema.fieldNames())
                            + ")");
        }
        if (!schema.apply(in).dataType().equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException(
                    "ImagePredictor: column '"
                            + in
                            + "' must hold image bytes (binary), but it is "
                            + schema.apply(in).dataType().simpleString());
        }
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        for (String out : outputColumns()) {
            if (Arrays.asList(schema.fieldNames()).contains(out)) {
                throw new IllegalArgumentException(
                        "ImagePredictor: output column '" + out + "' already exists in the input");
            }
        }
        fields.add(
                DataTypes.createStructField(
                        getOrDefault(predictionsCol),
                        DataTypes.createArrayType(RankRows.CLASS_TYPE, false),
                        true));
        if (isEmbedding()) {
            fields.add(
                    DataTypes.createStructField(
                            getOrDefault(embeddingCol),
                            DataTypes.createArrayType(DataTypes.FloatType, false),
                            true));
        }
        fields.add(DataTypes.createStructField(getOrDefault(errorCol), DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return transformCounting(dataset, null);
    }

    /**
     * Transforms, counting the images read, predicted and failed as the tasks run.
     *
     * @param dataset the images
     * @param counts counters to add to, or null
     * @return the rows with the prediction columns appended
     */
    public Dataset<Row> transformCounting(Dataset<?> dataset, PredictionCounts counts) {
        StructType out = transformSchema(dataset.schema());
        int content = dataset.schema().fieldIndex(getOrDefault(inputCol));
        PartitionPredictor fn =
                new PartitionPredictor(
                        getOrDefault(modelDir),
                        content,
                        (Integer) getOrDefault(topK),
                        isEmbedding(),
                        (Integer) getOrDefault(batchSize),
                        counts);
        return dataset.toDF().mapPartitions(fn, Encoders.row(out));
    }

    /**
     * Flattens transformed rows to one row per image and rank: {@code image}, {@code rank}, {@code
     * label}, {@code class_index}, {@code probability}, then {@code embedding} (when embedding) and
     * {@code error}. An image with an error has one row, with null rank, label, class index and
     * probability.
     *
     * @param transformed the output of {@link #transform}
     * @param imageCol the column that names the image (e.g. {@code path})
     * @return the flat rows
     */
    public Dataset<Row> rankRows(Dataset<Row> transformed, String imageCol) {
        return RankRows.of(
                transformed,
                imageCol,
                getOrDefault(predictionsCol),
                isEmbedding() ? getOrDefault(embeddingCol) : null,
                getOrDefault(errorCol));
    }

    @Override
    public ImagePredictor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * A reader for predictors saved with {@code write().save(path)} (alone or in a pipeline).
     *
     * @return the reader
     */
    public static MLReader<ImagePredictor> read() {
        return new DefaultParamsReadable<ImagePredictor>() {}.read();
    }

    /**
     * Reads a saved predictor.
     *
     * @param path where it was saved
     * @return the predictor
     */
    public static ImagePredictor load(String path) {
        return read().load(path);
    }

    private boolean isEmbedding() {
        return (Boolean) getOrDefault(embed);
    }

    private List<String> outputColumns() {
        List<String> out = new ArrayList<>();
        out.add(getOrDefault(predictionsCol));
        if (isEmbedding()) {
            out.add(getOrDefault(embeddingCol));
        }
        out.add(getOrDefault(errorCol));
        return out;
    }
}
