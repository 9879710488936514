package io.reapomni.calibration.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ReadLimits;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The model's {@code tokenizer.json} through DJL's HuggingFace tokenizers, offline, with the added (special) tokens
 * by their strings. Holds a native tokenizer: close it.
 */
public final class ModelTokenizer implements AutoCloseable {
    public static final String FILE_NAME = "tokenizer.json";

    // The chat-style prompt adds no BOS/EOS of its own, and calibration samples must never be cut short.
    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false",
            "maxLength", String.valueOf(Integer.MAX_VALUE));

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> addedTokens;
    private final Set<Integer> specialIds;

    private ModelTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> addedTokens, Set<Integer> specialIds) {
        this.tokenizer = tokenizer;
        this.addedTokens = Map.copyOf(addedTokens);
        this.specialIds = Set.copyOf(specialIds);
    }

    /** The tokenizer of a model, local or in S3, which must hold {@code tokenizer.json}. */
    public static ModelTokenizer load(ObjectStore model) throws CalibrationDataException {
        return fromBytes(readBytes(model), nameIn(model));
    }

    /** The bytes of a model's {@code tokenizer.json}, refused as data when it has none. */
    public static byte[] readBytes(ObjectStore model) throws CalibrationDataException {
        String name = nameIn(model);
        Optional<byte[]> bytes;
        try {
            bytes = readIfPresent(model);
        } catch (IOException e) {
            throw new CalibrationDataException("cannot read the tokenizer " + name + ": " + e.getMessage(), e);
        }
        return bytes.orElseThrow(() -> new CalibrationDataException("the model has no tokenizer: " + name
                + " is missing, and text calibration needs the model's own " + FILE_NAME));
    }

    /** The bytes of a model's {@code tokenizer.json}, or nothing when it has none. */
    public static Optional<byte[]> readIfPresent(ObjectStore model) throws IOException {
        if (!model.exists(FILE_NAME)) {
            return Optional.empty();
        }
        return Optional.of(model.readAll(FILE_NAME, ReadLimits.TOKENIZER_BYTES));
    }

    /** Where a model's {@code tokenizer.json} is, for messages. */
    public static String nameIn(ObjectStore model) {
        return model.location() + "/" + FILE_NAME;
    }

    /** A tokenizer from the bytes of a {@code tokenizer.json}; {@code name} only labels error messages. */
    public static ModelTokenizer fromBytes(byte[] tokenizerJson, String name) throws CalibrationDataException {
        Map<String, Integer> added = new HashMap<>();
        Set<Integer> special = new HashSet<>();
        try {
            JsonNode root = StrictJson.DOCUMENTS.readTree(tokenizerJson);
            for (JsonNode token : root.path("added_tokens")) {
                added.put(token.path("content").asText(), token.path("id").asInt());
                if (token.path("special").asBoolean(false)) {
                    special.add(token.path("id").asInt());
                }
            }
        } catch (IOException e) {
            throw new CalibrationDataException(name + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return new ModelTokenizer(
                    HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), OPTIONS), added,
                    special);
        } catch (IOException | RuntimeException e) {
            throw new CalibrationDataException(name + " is not a HuggingFace tokenizer: " + e.getMessage(), e);
        }
    }

    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] narrowed = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            narrowed[i] = Math.toIntExact(ids[i]);
        }
        return narrowed;
    }

    public String decode(int[] ids) {
        long[] widened = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            widened[i] = ids[i];
        }
        return tokenizer.decode(widened, false);
    }

    /** The id of an added token such as {@code <|audio_end|>}, as tokenizer.json's {@code added_tokens} lists it. */
    public OptionalInt addedTokenId(String content) {
        Integer id = addedTokens.get(content);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * Whether {@code id} is a special token (an added token marked {@code special}: chat markers, media pads and
     * frames), as opposed to ordinary text, which includes the unused placeholder ids a tokenizer reserves.
     */
    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
