package org.fourier4j.data;

/**
 * A CIFAR data set as read from a directory or an archive.
 *
 * @param format CIFAR-10 or CIFAR-100
 * @param train the training batches concatenated in file order, or null when absent
 * @param test the test batch, or null when absent
 */
public record CifarData(CifarFormat format, ImageSet train, ImageSet test) {}
