/** ONNX export of fourier4j blocks and an ONNX Runtime session wrapper. */
package org.fourier4j.onnx;
