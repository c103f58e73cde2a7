package org.fourier4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fourier4j.data.DataException;
import org.fourier4j.data.ImageFolderReader;

/**
 * Fuzzes image decoding ({@link ImageFolderReader#decode}, the path every JPEG and PNG of an image
 * folder takes) with arbitrary bytes, seeded with small real PNG and JPEG files. Whatever the
 * bytes: pixels or a {@link DataException} naming the file, and nothing written (ImageIO's disk
 * cache is pointed into the checked directory, so a cached stream would show).
 */
class ImageFuzzTest {

    static {
        ImageIO.setUseCache(true);
        ImageIO.setCacheDirectory(FuzzFiles.dir().toFile());
    }

    @FuzzTest(maxDuration = "5m")
    void imageFile(byte[] data) {
        Path f = FuzzFiles.write("image.png", data);
        try {
            ImageFolderReader.decode(f, 8, 8);
        } catch (DataException e) {
            FuzzFiles.assertNamesFile(e, f);
        }
        FuzzFiles.assertNothingWritten(f, data.length);
    }
}
