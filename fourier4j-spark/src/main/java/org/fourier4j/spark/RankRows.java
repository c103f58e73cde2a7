package org.fourier4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode_outer;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The flat output of a prediction: one row per image and rank (see {@link ImagePredictor}). */
public final class RankRows {

    /** The type of one of an image's top classes. */
    public static final StructType CLASS_TYPE =
            DataTypes.createStructType(
                    List.of(
                            DataTypes.createStructField("rank", DataTypes.IntegerType, false),
                            DataTypes.createStructField("label", DataTypes.StringType, false),
                            DataTypes.createStructField(
                                    "class_index", DataTypes.IntegerType, false),
                            DataTypes.createStructField(
                                    "probability", DataTypes.DoubleType, false)));

    private RankRows() {}

    /**
     * Flattens transformed rows.
     *
     * @param transformed rows with the prediction columns
     * @param imageCol the column naming the image, output as {@code image}
     * @param predictionsCol the top-classes column
     * @param embeddingCol the features column, or null for none
     * @param errorCol the error column
     * @return {@code image, rank, label, class_index, probability[, embedding], error}
     */
    public static Dataset<Row> of(
            Dataset<Row> transformed,
            String imageCol,
            String predictionsCol,
            String embeddingCol,
            String errorCol) {
        List<Column> exploded = new ArrayList<>();
        exploded.add(col(imageCol).as("image"));
        exploded.add(explode_outer(col(predictionsCol)).as("p"));
        if (embeddingCol != null) {
            exploded.add(col(embeddingCol).as("embedding"));
        }
        exploded.add(col(errorCol).as("error"));
        List<Column> flat = new ArrayList<>();
        flat.add(col("image"));
        for (String f : CLASS_TYPE.fieldNames()) {
            flat.add(col("p." + f).as(f));
        }
        if (embeddingCol != null) {
            flat.add(col("embedding"));
        }
        flat.add(col("error"));
        return transformed
                .select(exploded.toArray(new Column[0]))
                .select(flat.toArray(new Column[0]));
    }
}
