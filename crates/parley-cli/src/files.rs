//! Reading scenarios from files and folders, and writing files so that a failure never
//! leaves a half-written one behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use parley_model::builtin::{TALKS_2025_FILE_NAME, TALKS_2025_TOML};
use parley_model::diagnostic::Diagnostic;
use parley_model::scenario::Scenario;
use parley_model::scenario_file::{Loaded, read_scenario, read_scenario_bytes};
use parley_model::validate::ValidScenario;
use parley_report::terminal::escape_controls;

/// A scenario loaded without errors, with its warnings and the name it is reported under.
pub struct LoadedScenario {
    /// The scenario.
    pub scenario: ValidScenario,
    /// What validation warned about.
    pub warnings: Vec<Diagnostic>,
    /// The name the scenario is reported under: the file or folder as given.
    pub file_name: String,
    /// GENIUS's reference frontier that came with the scenario: file and points, one utility
    /// per negotiating party.
    pub reference: Option<(String, Vec<Vec<f64>>)>,
}

/// The scenario with every continuous issue on a grid of `grid` numbers, when given.
pub(crate) fn with_grid(loaded: LoadedScenario, grid: Option<u32>) -> Result<LoadedScenario> {
    let Some(grid) = grid else { return Ok(loaded) };
    if !parley_model::continuous::has_continuous_issues(loaded.scenario.scenario()) {
        anstream::eprintln!(
            "note: --grid {grid} changes nothing: '{}' has no continuous issue",
            loaded.file_name
        );
        return Ok(loaded);
    }
    let mut scenario = loaded.scenario.into_scenario();
    parley_model::continuous::set_grid(&mut scenario, grid as usize);
    let scenario = match ValidScenario::new(scenario) {
        Ok((scenario, _)) => scenario,
        Err(diagnostics) => {
            let problems: Vec<String> = diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.is_error())
                .map(|diagnostic| format!("{}: {}", diagnostic.path, diagnostic.message))
                .collect();
            anyhow::bail!("with --grid {grid}: {}", problems.join("; "));
        }
    };
    Ok(LoadedScenario { scenario, ..loaded })
}

pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read '{}'", path.display()))
}

/// Reads a scenario file (TOML): text that is not UTF-8 gives one error at the line and
/// column of its first invalid byte, like any other problem of the file.
pub(crate) fn read_scenario_file(path: &Path) -> Result<Loaded> {
    Ok(read_scenario_bytes(&read_bytes(path)?))
}

/// Loads a scenario: a TOML file, a GENIUS folder or list of GENIUS files, or the built-in
/// scenario when none is named. `domain` chooses among a GENIUS folder's domains, or names a
/// domain file from elsewhere. What the GENIUS reader read leniently or skipped is printed.
pub(crate) fn load(paths: &[PathBuf], domain: Option<&str>) -> Result<LoadedScenario> {
    let (loaded, notes) = load_with_notes(paths, domain)?;
    for note in &notes {
        anstream::eprintln!("{}", escape_controls(note, false));
    }
    Ok(loaded)
}

/// [`load`], returning what the GENIUS reader read leniently or skipped instead of printing it.
pub(crate) fn load_with_notes(
    paths: &[PathBuf],
    domain: Option<&str>,
) -> Result<(LoadedScenario, Vec<String>)> {
    let is_genius = match paths {
        [] => false,
        [single] => single.is_dir() || is_xml_file_name(single),
        _ => true,
    };
    if is_genius {
        let read = read_genius(paths, domain)?;
        let file_name = genius_name(paths);
        return match ValidScenario::new(read.scenario) {
            Ok((scenario, warnings)) => Ok((
                LoadedScenario { scenario, warnings, file_name, reference: read.reference },
                read.notes,
            )),
            Err(diagnostics) => bail!("{}", render_errors(&file_name, &diagnostics)),
        };
    }
    if domain.is_some() {
        bail!("--domain chooses the domain of a GENIUS folder or files, expected GENIUS files");
    }
    let path = paths.first();
    let (loaded, file_name) = match path {
        Some(path) => (read_scenario_file(path)?, path.display().to_string()),
        None => (read_scenario(TALKS_2025_TOML), TALKS_2025_FILE_NAME.to_owned()),
    };
    Ok((from_text(loaded, &file_name)?, Vec::new()))
}

/// A scenario read from text, or its errors as one message.
pub(crate) fn from_text(loaded: Loaded, file_name: &str) -> Result<LoadedScenario> {
    match loaded.scenario {
        Some(scenario) => Ok(LoadedScenario {
            scenario,
            warnings: loaded.diagnostics,
            file_name: file_name.to_owned(),
            reference: None,
        }),
        None => bail!("{}", render_errors(file_name, &loaded.diagnostics)),
    }
}

fn is_xml_file_name(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("xml"))
}

/// The name a GENIUS scenario is reported under: its folder, or its files.
fn genius_name(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|path| path.display().to_string()).collect();
    names.join(" ")
}

/// A diagnostic as one line for the terminal: the values it quotes cannot break the line or
/// control the terminal.
pub(crate) fn render_diagnostic(diagnostic: &Diagnostic, file_name: &str) -> String {
    escape_controls(&diagnostic.render(file_name), false).into_owned()
}

fn render_errors(file_name: &str, diagnostics: &[Diagnostic]) -> String {
    let rendered: Vec<String> =
        diagnostics.iter().map(|diagnostic| render_diagnostic(diagnostic, file_name)).collect();
    let n_errors = diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
    format!("{file_name} has {n_errors} error(s):\n{}", rendered.join("\n"))
}

/// A GENIUS scenario read from files, as a Parley scenario, with what the reading noted.
pub(crate) struct GeniusRead {
    pub(crate) scenario: Scenario,
    /// One line for each warning and each skipped file, ready to print.
    pub(crate) notes: Vec<String>,
    /// GENIUS's reference frontier, when the folder has one: file and points.
    pub(crate) reference: Option<(String, Vec<Vec<f64>>)>,
}

/// The most bytes a file of a GENIUS folder may have; larger ones are skipped unread.
const MAX_GENIUS_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a GENIUS scenario: a folder (its files, not its subfolders, each told apart by
/// content) or a list of files (a domain and profiles). `domain` is the name of one of the
/// folder's domains, or the path of a domain file from elsewhere.
pub(crate) fn read_genius(paths: &[PathBuf], domain: Option<&str>) -> Result<GeniusRead> {
    if let [dir] = paths
        && dir.is_dir()
        && is_geniusweb_folder(dir)
    {
        if domain.is_some() {
            bail!(
                "--domain chooses among a GENIUS folder's domains; '{}' is a GeniusWeb folder",
                dir.display()
            );
        }
        let scenario = read_geniusweb_folder(dir)?;
        return Ok(GeniusRead { scenario, notes: Vec::new(), reference: None });
    }
    let (files, fallback_dir) = match paths {
        [dir] if dir.is_dir() => (folder_files(dir)?, Some(dir.as_path())),
        _ => {
            for path in paths {
                if path.is_dir() {
                    bail!(
                        "'{}' is a folder; give one GENIUS folder, or a domain file and its profile files",
                        path.display()
                    );
                }
            }
            (paths.to_vec(), None)
        }
    };
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut notes = Vec::new();
    for path in &files {
        let file_name = path.display().to_string();
        let bytes = read_bytes(path)?;
        match parley_genius::decode_genius_file(&file_name, &bytes) {
            Ok((text, warning)) => {
                if let Some(warning) = warning {
                    notes.push(format!("warning: {warning}"));
                }
                texts.push((file_name, text.into_owned()));
            }
            // A folder's file that is neither XML nor text is not part of the scenario; a file
            // named on the command line is meant as one.
            Err(_) if fallback_dir.is_some() => {
                notes.push(format!("note: skipped '{file_name}': not text"));
            }
            Err(error) => return Err(error.into()),
        }
    }
    let extra_domain = match domain {
        Some(domain) if Path::new(domain).is_file() => {
            let path = Path::new(domain);
            let canonical = path.canonicalize().ok();
            let listed = files.iter().find(|listed| listed.canonicalize().ok() == canonical);
            match listed {
                Some(listed) => Err(listed.display().to_string()),
                None => {
                    let file_name = path.display().to_string();
                    let bytes = read_bytes(path)?;
                    let (text, warning) = parley_genius::decode_genius_file(&file_name, &bytes)?;
                    if let Some(warning) = warning {
                        notes.push(format!("warning: {warning}"));
                    }
                    Ok(Some((file_name, text.into_owned())))
                }
            }
        }
        Some(domain) => Err(domain.to_owned()),
        None => Ok(None),
    };
    let (extra, chosen) = match extra_domain {
        Ok(extra) => {
            let chosen = extra.as_ref().map(|(file_name, _)| file_name.clone());
            (extra, chosen)
        }
        Err(name) => (None, Some(name)),
    };
    let folder = match parley_genius::read_folder(&texts, extra.as_ref()) {
        Err(error @ parley_genius::Error::NoDomain { .. }) => {
            return Err(anyhow::Error::new(error).context(
                "no GENIUS domain to read the profiles with: a domain file in another folder can be given with --domain PATH",
            ));
        }
        folder => folder?,
    };
    let genius = folder.scenario(chosen.as_deref())?;
    for warning in genius.warnings() {
        notes.push(format!("warning: {warning}"));
    }
    for skipped in genius.skipped() {
        notes.push(format!("note: skipped '{}': {}", skipped.file, skipped.reason));
    }
    let fallback_id = match fallback_dir {
        Some(dir) => dir
            .canonicalize()
            .ok()
            .and_then(|dir| dir.file_name().map(|name| name.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "genius".to_owned()),
        None => Path::new(genius.domain_file())
            .file_stem()
            .map_or_else(|| "genius".to_owned(), |stem| stem.to_string_lossy().into_owned()),
    };
    let scenario = parley_genius::to_model(&genius, &fallback_id)
        .with_context(|| format!("cannot import '{}'", genius_name(paths)))?;
    let reference =
        genius.reference().map(|reference| (reference.file.clone(), reference.points.clone()));
    Ok(GeniusRead { scenario, notes, reference })
}

/// A folder's regular files, sorted by name; files too large to be GENIUS files are left out.
fn folder_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list '{}'", dir.display()))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("cannot list '{}'", dir.display()))?.path();
        let is_small_file = std::fs::metadata(&path)
            .is_ok_and(|metadata| metadata.is_file() && metadata.len() <= MAX_GENIUS_FILE_BYTES);
        if is_small_file {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        bail!(
            "'{}' holds no files, expected a GENIUS domain and one profile per party",
            dir.display()
        );
    }
    Ok(paths)
}

fn has_extension(path: &Path, wanted: &str) -> bool {
    path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case(wanted))
}

/// A folder's regular files, sorted by name.
fn folder_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list '{}'", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("cannot list '{}'", dir.display()))?.path();
        if path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Whether a folder is a GeniusWeb one: it holds `.json` files and no GENIUS file.
pub(crate) fn is_geniusweb_folder(dir: &Path) -> bool {
    folder_entries(dir).is_ok_and(|paths| {
        paths.iter().any(|path| has_extension(path, "json"))
            && !paths.iter().any(|path| is_genius_file(path))
    })
}

/// Reads a GeniusWeb scenario folder (its `.json` files, not its subfolders) as a scenario
/// whose id is the domain's name, or the folder's name when the domain has none.
pub(crate) fn read_geniusweb_folder(dir: &Path) -> Result<Scenario> {
    let paths: Vec<PathBuf> =
        folder_entries(dir)?.into_iter().filter(|path| has_extension(path, "json")).collect();
    if paths.is_empty() {
        bail!(
            "'{}' holds no .json files, expected a GeniusWeb domain and one profile per party",
            dir.display()
        );
    }
    let files = paths
        .iter()
        .map(|path| {
            let file_name = path.display().to_string();
            let bytes = read_bytes(path)?;
            let text = parley_genius::decode_file(&file_name, &bytes)?.to_owned();
            Ok((file_name, text))
        })
        .collect::<Result<Vec<(String, String)>>>()?;
    let scenario = parley_genius::geniusweb::parse_scenario(&files)?;
    let fallback_id = dir
        .canonicalize()
        .ok()
        .and_then(|dir| dir.file_name().map(|name| name.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "geniusweb".to_owned());
    parley_genius::geniusweb::to_model(&scenario, &fallback_id)
        .with_context(|| format!("cannot import '{}'", dir.display()))
}

/// Whether a folder's entry is a GeniusWeb file: a `.json` file whose content is a GeniusWeb
/// domain or profile.
pub(crate) fn is_geniusweb_file(path: &Path) -> bool {
    path.is_file()
        && has_extension(path, "json")
        && std::fs::read(path).is_ok_and(|bytes| {
            std::str::from_utf8(&bytes).is_ok_and(|text| {
                parley_genius::geniusweb::classify(&path.display().to_string(), text).is_ok()
            })
        })
}

/// Refuses a file that exists, unless `force`: called before the work whose result it would
/// hold, as well as when it is written.
pub(crate) fn refuse_existing(path: &Path, force: bool) -> Result<()> {
    if path.exists() && !force {
        bail!("'{}' exists; pass --force to overwrite it", path.display());
    }
    Ok(())
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over it.
pub(crate) fn write_atomically(path: &Path, text: &str, force: bool) -> Result<()> {
    refuse_existing(path, force)?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in '{}'", dir.display()))?;
    temporary
        .write_all(text.as_bytes())
        .and_then(|()| temporary.as_file().sync_all())
        .with_context(|| format!("cannot write '{}'", path.display()))?;
    // The temporary file is private to its owner; the file it becomes keeps the permissions of
    // the file it replaces, or gets the usual ones for a new file.
    let permissions = match std::fs::metadata(path) {
        Ok(metadata) => metadata.permissions(),
        Err(_) => default_permissions(),
    };
    temporary
        .as_file()
        .set_permissions(permissions)
        .with_context(|| format!("cannot set the permissions of '{}'", path.display()))?;
    temporary.persist(path).with_context(|| format!("cannot write '{}'", path.display()))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> std::fs::Permissions {
    let mut permissions = std::fs::metadata(".")
        .map(|metadata| metadata.permissions())
        .expect("the working folder exists");
    permissions.set_readonly(false);
    permissions
}

/// Writes a folder whole or not at all: `files` (name and text) and, from the folder as it
/// was, every entry `keep` keeps. The new folder is built beside the old one under a
/// temporary name, then renamed into place; the old one is renamed out of the way first and
/// deleted after, so a reader never sees a folder that mixes old and new files (only, for a
/// moment, no folder). A kept file is hard-linked (or copied) into the new folder, so it stays
/// in the old one until the swap; a kept subfolder is moved, and moved back on failure.
pub(crate) fn replace_folder(
    dir: &Path,
    files: &[(String, String)],
    keep: impl Fn(&Path) -> bool,
) -> Result<()> {
    let exists = dir.exists();
    if exists && !dir.is_dir() {
        bail!("'{}' exists and is not a folder", dir.display());
    }
    let name = dir.file_name();
    let target = if exists {
        dir.canonicalize().with_context(|| format!("cannot find '{}'", dir.display()))?
    } else {
        let Some(name) = name else { bail!("'{}' cannot be a folder's name", dir.display()) };
        let parent = match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create '{}'", parent.display()))?;
        parent
            .canonicalize()
            .with_context(|| format!("cannot find '{}'", parent.display()))?
            .join(name)
    };
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        bail!("'{}' cannot be replaced", dir.display());
    };
    let prefix = format!(".{}.parley-", name.to_string_lossy());
    let staging = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(parent)
        .with_context(|| format!("cannot write in '{}'", parent.display()))?;
    for (file_name, text) in files {
        let path = staging.path().join(file_name);
        std::fs::File::create(&path)
            .and_then(|mut file| file.write_all(text.as_bytes()).and_then(|()| file.sync_all()))
            .with_context(|| format!("cannot write '{}'", dir.join(file_name).display()))?;
    }
    // Subfolders moved into the new folder, to move back if it does not take the old one's place.
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let res = (|| -> Result<()> {
        let permissions = if exists {
            for entry in std::fs::read_dir(&target)
                .with_context(|| format!("cannot list '{}'", dir.display()))?
            {
                let entry = entry.with_context(|| format!("cannot list '{}'", dir.display()))?;
                let path = entry.path();
                if !keep(&path) {
                    continue;
                }
                let staged = staging.path().join(entry.file_name());
                if staged.exists() {
                    bail!(
                        "'{}' would be replaced, but it is not a file this command wrote; move it away first",
                        dir.join(entry.file_name()).display()
                    );
                }
                if entry.file_type().is_ok_and(|file_type| file_type.is_file()) {
                    std::fs::hard_link(&path, &staged)
                        .or_else(|_| std::fs::copy(&path, &staged).map(|_| ()))
                        .with_context(|| format!("cannot keep '{}'", path.display()))?;
                } else {
                    std::fs::rename(&path, &staged)
                        .with_context(|| format!("cannot keep '{}'", path.display()))?;
                    moved.push((staged, path));
                }
            }
            std::fs::metadata(&target).map(|metadata| metadata.permissions()).ok()
        } else {
            None
        };
        std::fs::set_permissions(staging.path(), permissions.unwrap_or_else(folder_permissions))
            .with_context(|| format!("cannot set the permissions of '{}'", dir.display()))?;
        if exists {
            let old = tempfile::Builder::new()
                .prefix(&prefix)
                .tempdir_in(parent)
                .with_context(|| format!("cannot write in '{}'", parent.display()))?;
            let old_path = old.path().join(name);
            std::fs::rename(&target, &old_path)
                .with_context(|| format!("cannot replace '{}'", dir.display()))?;
            if let Err(error) = std::fs::rename(staging.path(), &target) {
                let _ = std::fs::rename(&old_path, &target);
                return Err(error).with_context(|| format!("cannot replace '{}'", dir.display()));
            }
            // The old folder goes with `old`.
        } else {
            std::fs::rename(staging.path(), &target)
                .with_context(|| format!("cannot write '{}'", dir.display()))?;
        }
        Ok(())
    })();
    if res.is_err() {
        for (staged, original) in moved.iter().rev() {
            let _ = std::fs::rename(staged, original);
        }
    } else {
        // The staging folder is the new folder now: nothing is left to remove.
        let _ = staging.keep();
    }
    res
}

#[cfg(unix)]
fn folder_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o755)
}

#[cfg(not(unix))]
fn folder_permissions() -> std::fs::Permissions {
    let mut permissions = std::fs::metadata(".")
        .map(|metadata| metadata.permissions())
        .expect("the working folder exists");
    permissions.set_readonly(false);
    permissions
}

/// Whether a folder's entry is a GENIUS file: an `.xml` file whose content is a GENIUS domain
/// or profile.
pub(crate) fn is_genius_file(path: &Path) -> bool {
    path.is_file()
        && path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("xml"))
        && std::fs::read(path).is_ok_and(|bytes| {
            std::str::from_utf8(&bytes).is_ok_and(|text| {
                parley_genius::classify(&path.display().to_string(), text).is_ok()
            })
        })
}
