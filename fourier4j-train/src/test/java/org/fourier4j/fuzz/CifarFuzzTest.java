package org.fourier4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.fourier4j.data.CifarReader;
import org.fourier4j.data.DataException;

/**
 * Fuzzes the CIFAR binary readers with arbitrary bytes: a batch file and a {@code .tar.gz} archive.
 * Whatever the bytes, {@link CifarReader#read} returns data or throws a {@link DataException}
 * naming the file, and writes nothing. Seeds: a batch of real CIFAR-10 records and an archive
 * holding one ({@code src/test/resources/org/fourier4j/fuzz/CifarFuzzTestInputs}).
 */
class CifarFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void batchFile(byte[] data) {
        read("data_batch_1.bin", data);
    }

    @FuzzTest(maxDuration = "5m")
    void tarGz(byte[] data) {
        read("cifar-10-binary.tar.gz", data);
    }

    private static void read(String name, byte[] data) {
        Path f = FuzzFiles.write(name, data);
        try {
            CifarReader.read(f);
        } catch (DataException e) {
            FuzzFiles.assertNamesFile(e, f);
        }
        FuzzFiles.assertNothingWritten(f, data.length);
    }
}
