package org.fourier4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandAugmentTest {

    @Test
    void magnitudeFiveOfThirtyOneBinsMatchesTorchvision() {
        RandAugment ra = new RandAugment(2, 5, 31);
        assertEquals(0.05, ra.value(RandAugment.Op.SHEAR_X, 32, 32), 1e-12);
        assertEquals(150.0 / 331.0 * 32 / 6, ra.value(RandAugment.Op.TRANSLATE_X, 32, 32), 1e-12);
        assertEquals(2, (int) ra.value(RandAugment.Op.TRANSLATE_Y, 32, 32));
        assertEquals(5.0, ra.value(RandAugment.Op.ROTATE, 32, 32), 1e-12);
        assertEquals(0.15, ra.value(RandAugment.Op.BRIGHTNESS, 32, 32), 1e-12);
        assertEquals(0.15, ra.value(RandAugment.Op.SHARPNESS, 32, 32), 1e-12);
        assertEquals(7, ra.value(RandAugment.Op.POSTERIZE, 32, 32));
        assertEquals(212.5, ra.value(RandAugment.Op.SOLARIZE, 32, 32), 1e-12);
        assertEquals(0, ra.value(RandAugment.Op.EQUALIZE, 32, 32));
    }

    @Test
    void extremesOfTheScale() {
        RandAugment max = new RandAugment(2, 30, 31);
        assertEquals(0.3, max.value(RandAugment.Op.SHEAR_Y, 32, 32), 1e-12);
        assertEquals(30.0, max.value(RandAugment.Op.ROTATE, 32, 32), 1e-12);
        assertEquals(4, max.value(RandAugment.Op.POSTERIZE, 32, 32));
        assertEquals(0.0, max.value(RandAugment.Op.SOLARIZE, 32, 32), 1e-12);
        // torchvision: 8 - round(m / 7.5) (half to even): m = 11 -> 8 - round(1.4667) = 7,
        // m = 12 -> 8 - round(1.6) = 6
        assertEquals(7, new RandAugment(1, 11, 31).value(RandAugment.Op.POSTERIZE, 32, 32));
        assertEquals(6, new RandAugment(1, 12, 31).value(RandAugment.Op.POSTERIZE, 32, 32));
        RandAugment zero = new RandAugment(2, 0, 31);
        assertEquals(0.0, zero.value(RandAugment.Op.ROTATE, 32, 32));
        assertEquals(255.0, zero.value(RandAugment.Op.SOLARIZE, 32, 32));
    }

    @Test
    void badParametersAreRejectedWithTheValue() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new RandAugment(2, 31, 31));
        assertEquals("RandAugment magnitude must be in 0..30 for 31 bins, got 31", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RandAugment(-1, 5, 31));
        assertThrows(IllegalArgumentException.class, () -> new RandAugment(2, 0, 1));
    }

    @Test
    void sameGeneratorSameResultOtherGeneratorsDiffer() {
        RandAugment ra = new RandAugment(2, 9, 31);
        byte[] img = TestImages.cifar(1, 11).image(0);
        byte[] a = ra.apply(img, 3, 32, 32, new SplittableRandom(5));
        byte[] b = ra.apply(img, 3, 32, 32, new SplittableRandom(5));
        assertArrayEquals(a, b);
        // different generators change most images
        int changed = 0;
        for (int s = 0; s < 50; s++) {
            if (!Arrays.equals(img, ra.apply(img, 3, 32, 32, new SplittableRandom(s)))) {
                changed++;
            }
        }
        assertTrue(changed > 40, "changed " + changed + " of 50");
    }

    @Test
    void zeroOperationsIsTheIdentityCopy() {
        byte[] img = TestImages.cifar(1, 12).image(0);
        byte[] out = new RandAugment(0, 5, 31).apply(img, 3, 32, 32, new SplittableRandom(1));
        assertArrayEquals(img, out);
        assertFalse(img == out);
    }
}
