package org.fourier4j.onnx;

/**
 * An export that cannot be done (a block without exporter, an operator or option that cannot be
 * expressed at the chosen opset), or a model ONNX Runtime rejects. The message names the block's
 * path and class, or the operator.
 */
public class OnnxExportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the block and the operator
     */
    public OnnxExportException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause the underlying error
     */
    public OnnxExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
