/**
 * Model folders from the Hugging Face hub: {@link org.personalab.engine.hub.HubClient} lists a repository's files at
 * a revision (resolved to a commit, so every file comes from the same snapshot),
 * {@link org.personalab.engine.hub.ModelDownloader} fetches the files the engine needs into a plain folder
 * (resumable {@code .part} files, checksums against the hub's sha256 for LFS files and git blob ids for the others,
 * atomic moves, a {@code .personalab-download.json} manifest that lets a second run skip what is already verified),
 * and {@link org.personalab.engine.hub.ModelFolderCheck} checks any local folder, downloaded or copied in by hand, as
 * far as config, weight headers, tokenizer and chat template, without loading weights.
 *
 * <p>No JavaFX and no SQL here; the token comes from the environment and never reaches a file, a log or a message.
 */
package org.personalab.engine.hub;
