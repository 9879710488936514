package io.reapomni.devtools.calibrationdata;

import io.reapomni.common.job.Modality;

import java.util.List;

/**
 * The built-in English prompts: what a user asks a listening and watching assistant about a clip, per data set, and
 * the short sentences that speech clips say. Varied on purpose, so that calibration routes tokens through many
 * experts rather than one narrow kind of request.
 */
public final class PromptCatalogue {
    private static final List<String> AUDIO_QUESTIONS = List.of(
            "Transcribe this recording.",
            "What is the speaker's mood?",
            "Summarise what was said in one sentence.",
            "What language is the speaker using?",
            "Is the speaker asking a question or giving an instruction?",
            "List the numbers mentioned in the clip.",
            "Translate what you hear into French.",
            "How many people are speaking?",
            "What does the speaker want me to do?",
            "Describe the speaker's voice and pace.");

    private static final List<String> VIDEO_QUESTIONS = List.of(
            "Describe what happens in this video.",
            "What shapes and colours can you see?",
            "Does anything move during the clip?",
            "Summarise the video in a few words.",
            "What is in the centre of the frame?",
            "Is the scene changing or still?");

    private static final List<String> MIXED_QUESTIONS = List.of(
            "What is said while this video plays?",
            "Does the speech match what the video shows?",
            "Transcribe the speech and describe the picture.",
            "Summarise the clip, sound and image together.",
            "What is the speaker's mood, and what is on screen?",
            "Answer the spoken question using what you see.");

    private static final List<String> UTTERANCES = List.of(
            "Please set a timer for ten minutes.",
            "The train to Edinburgh leaves at half past four.",
            "I am really happy with how the project turned out.",
            "Could you remind me to call the dentist tomorrow?",
            "The weather is cold and windy this morning.",
            "Turn left at the second traffic light, then go straight on.",
            "We need three apples, two onions and a loaf of bread.",
            "I'm sorry, I didn't catch that. Could you say it again?",
            "The meeting has been moved to Thursday afternoon.",
            "What time does the museum open on Sundays?",
            "This is the worst day I have had in a long time.",
            "Add forty two and seventeen, then divide by three.");

    private PromptCatalogue() {
    }

    /** The questions asked about a sample of {@code dataSet}. */
    public static List<String> questions(Modality dataSet) {
        return switch (dataSet) {
            case AUDIO -> AUDIO_QUESTIONS;
            case VIDEO -> VIDEO_QUESTIONS;
            case MIXED -> MIXED_QUESTIONS;
        };
    }

    /** Sentences for speech clips to say. */
    public static List<String> utterances() {
        return UTTERANCES;
    }
}
