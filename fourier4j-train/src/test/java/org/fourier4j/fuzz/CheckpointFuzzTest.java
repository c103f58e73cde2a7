package org.fourier4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.fourier4j.train.Checkpoint;
import org.fourier4j.train.CheckpointException;
import org.fourier4j.train.HostTensor;

/**
 * Fuzzes checkpoint reading: the whole zip ({@link Checkpoint#read}) and, since zip checksums stop
 * most mutations at the door, the tensor format inside it ({@link HostTensor#read}) directly.
 * Seeds: checkpoints of a tiny model and their tensor entries. Whatever the bytes: a checkpoint or
 * a {@link CheckpointException} naming the file (an {@link IOException} from the tensor reader), no
 * allocation beyond what the bytes hold, nothing written.
 */
class CheckpointFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void checkpointZip(byte[] data) {
        Path f = FuzzFiles.write("last.ckpt", data);
        try {
            Checkpoint.read(f);
        } catch (CheckpointException e) {
            FuzzFiles.assertNamesFile(e, f);
        }
        FuzzFiles.assertNothingWritten(f, data.length);
    }

    @FuzzTest(maxDuration = "5m")
    void tensorFile(byte[] data) {
        try {
            HostTensor.read(new DataInputStream(new ByteArrayInputStream(data)), "params.bin");
        } catch (IOException e) {
            // the documented error of a malformed stream
        }
    }
}
