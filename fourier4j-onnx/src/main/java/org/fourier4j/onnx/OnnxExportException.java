package org.fourier4j.onnx;

import org.fourier4j.UserInputException;

/**
 * An export that cannot be done (a block without exporter, an operator or option that cannot be
 * expressed at the chosen opset), or a model ONNX Runtime rejects. The message names the block's
 * path and class, or the operator. The command line reports it as a user error (exit code 2).
 */
public class OnnxExportException extends UserInputException {

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
