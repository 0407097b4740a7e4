/** An error of the split itself (as opposed to a lost connection): its message is the whole story. */
export class SplitError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SplitError";
    }
}
