package org.fourier4j.spark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Predicts one partition in batches: takes up to {@code batchSize} rows from the partition, runs
 * them through the JVM's shared model ({@link ModelCache}) in one forward pass, and emits each
 * input row with the prediction columns appended, then takes the next batch. Rows are pulled
 * lazily, so a partition of any size needs the memory of one batch.
 */
record PartitionPredictor(
        String modelDir,
        int contentIndex,
        int topK,
        boolean embed,
        int batchSize,
        PredictionCounts counts)
        implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private BatchPredictor predictor;

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    nextBatch();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void nextBatch() {
                if (predictor == null) {
                    predictor = new BatchPredictor(ModelCache.get(modelDir), topK, embed);
                }
                List<Row> in = new ArrayList<>(batchSize);
                List<byte[]> images = new ArrayList<>(batchSize);
                while (in.size() < batchSize && rows.hasNext()) {
                    Row r = rows.next();
                    in.add(r);
                    images.add(r.isNullAt(contentIndex) ? null : (byte[]) r.get(contentIndex));
                }
                List<BatchPredictor.Result> results = predictor.predict(images);
                for (int i = 0; i < in.size(); i++) {
                    BatchPredictor.Result res = results.get(i);
                    if (counts != null) {
                        counts.add(res);
                    }
                    ready.add(withPrediction(in.get(i), res));
                }
            }
        };
    }

    private Row withPrediction(Row row, BatchPredictor.Result res) {
        int n = row.length();
        Object[] values = new Object[n + (embed ? 3 : 2)];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        List<Row> top = null;
        if (res.ok()) {
            top = new ArrayList<>(res.top().size());
            for (BatchPredictor.RankedClass c : res.top()) {
                top.add(RowFactory.create(c.rank(), c.label(), c.classIndex(), c.probability()));
            }
        }
        // Spark's row encoder takes Scala sequences for arrays of structs
        values[n] = top == null ? null : CollectionConverters.asScala(top);
        if (embed) {
            values[n + 1] = res.embedding();
        }
        values[values.length - 1] = res.error();
        return RowFactory.create(values);
    }
}
