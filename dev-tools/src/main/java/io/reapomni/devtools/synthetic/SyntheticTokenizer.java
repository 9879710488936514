package io.reapomni.devtools.synthetic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.json.StrictJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code tokenizer.json} for a synthetic model, in the HuggingFace tokenizers format Qwen's tokenizer uses:
 * byte-level BPE over the 256 byte tokens (ids 0..255, no merges, so every byte is a token), unused placeholder
 * tokens up to the special tokens, and the special tokens at the ids the config names. Text then tokenises to one
 * token per byte, which is all calibration and evaluation need of it.
 */
final class SyntheticTokenizer {
    private static final int BYTES = 256;
    private SyntheticTokenizer() {
    }

    /** The tokenizer of a model of {@code vocabSize} tokens; empty when the vocabulary cannot hold every byte. */
    static Optional<ObjectNode> of(int vocabSize) {
        int firstSpecial = vocabSize - SyntheticConfig.SPECIAL_TOKENS.size();
        if (firstSpecial < BYTES) {
            return Optional.empty();
        }
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = BYTES; id < firstSpecial; id++) {
            addedToken(added, id, "<|unused_" + (id - BYTES) + "|>", false);
        }
        for (String special : SyntheticConfig.SPECIAL_TOKENS) {
            addedToken(added, SyntheticConfig.specialTokenId(vocabSize, special), special, true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        List<String> alphabet = byteAlphabet();
        for (int id = 0; id < BYTES; id++) {
            vocab.put(alphabet.get(id), id);
        }
        model.putArray("merges");
        return Optional.of(root);
    }

    private static void addedToken(ArrayNode added, int id, String content, boolean special) {
        ObjectNode token = added.addObject();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", special);
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace) {
        ObjectNode byteLevel = StrictJson.MAPPER.createObjectNode();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", addPrefixSpace);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", true);
        return byteLevel;
    }

    /**
     * The printable character byte-level BPE (GPT-2's) gives each byte, by byte value: printable Latin-1 bytes stand
     * for themselves, the others for the code points from 256 on, in byte order.
     */
    private static List<String> byteAlphabet() {
        List<String> alphabet = new ArrayList<>();
        int shifted = 0;
        for (int b = 0; b < BYTES; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            alphabet.add(new String(Character.toChars(printable ? b : BYTES + shifted++)));
        }
        return alphabet;
    }
}
