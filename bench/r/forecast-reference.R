# Reference values from R's forecast package for the statistical models' specs
# (libs/forecast/src/statistical/*.spec.ts). Run from the repository root:
#   Rscript bench/r/forecast-reference.R > libs/forecast/src/statistical/testdata/r-forecast-reference.json
# Needs r-base-core and r-cran-forecast (Debian: apt-get install -y r-base-core r-cran-forecast).
# The series are R's own datasets (package datasets), written into the fixture with the
# values fitted, so the specs run without R.
suppressPackageStartupMessages(library(forecast))

num <- function(x) {
  x <- as.numeric(x)
  s <- ifelse(is.na(x), "null", formatC(x, digits = 17, format = "g"))
  paste0("[", paste(s, collapse = ","), "]")
}
str1 <- function(x) paste0('"', x, '"')
obj <- function(...) {
  a <- list(...)
  paste0("{", paste(paste0('"', names(a), '":', unlist(a)), collapse = ","), "}")
}

H <- 24
levels <- c(80, 95)

ets_entry <- function(fit, with_fitted = FALSE) {
  fc <- forecast(fit, h = H, level = levels)
  comp <- fit$components
  par <- fit$par
  get <- function(nm) if (nm %in% names(par)) par[[nm]] else NA
  obj(
    error = str1(comp[1]), trend = str1(comp[2]), season = str1(comp[3]),
    damped = tolower(as.character(as.logical(comp[4]))),
    method = str1(fit$method),
    alpha = num(get("alpha")), beta = num(get("beta")), gamma = num(get("gamma")), phi = num(get("phi")),
    initstate = num(fit$initstate),
    loglik = num(fit$loglik), aic = num(fit$aic), aicc = num(fit$aicc), bic = num(fit$bic),
    sigma2 = num(fit$sigma2), mse = num(fit$mse),
    fitted = if (with_fitted) num(fitted(fit)) else "null",
    mean = num(fc$mean),
    lo80 = num(fc$lower[, 1]), hi80 = num(fc$upper[, 1]),
    lo95 = num(fc$lower[, 2]), hi95 = num(fc$upper[, 2])
  )
}

theta_entry <- function(y) {
  fc <- thetaf(y, h = H, level = levels)
  obj(
    alpha = num(fc$model$alpha), drift = num(fc$model$drift),
    mean = num(fc$mean),
    lo80 = num(fc$lower[, 1]), hi80 = num(fc$upper[, 1]),
    lo95 = num(fc$lower[, 2]), hi95 = num(fc$upper[, 2])
  )
}

# auto.arima's stepwise search as its trace prints it: each model tried and its criterion
# (null = Inf), up to the exact refit that follows an approximate search
arima_search <- function(y) {
  out <- capture.output(invisible(auto.arima(y, trace = TRUE)))
  out <- out[seq_len(max(c(0, which(grepl("Now re-fitting|Best model", out))[1] - 1), na.rm = TRUE))]
  out <- trimws(out[grepl("^ ARIMA", out)])
  label <- trimws(sub(":.*$", "", out))
  ic <- suppressWarnings(as.numeric(trimws(sub("^.*:", "", out))))
  ic[is.infinite(ic)] <- NA
  paste0("[", paste(sprintf('{"model":"%s","ic":%s}', label, sub("^\\[(.*)\\]$", "\\1", sapply(ic, num))), collapse = ","), "]")
}

arima_entry <- function(y) {
  fit <- auto.arima(y)
  fc <- forecast(fit, h = H, level = levels)
  o <- fit$arma # p, q, P, Q, m, d, D
  m <- frequency(y)
  kpss <- urca::ur.kpss(y, type = "mu", use.lag = trunc(3 * sqrt(length(y)) / 13))@teststat
  obj(
    order = num(c(o[1], o[6], o[2])), seasonal = num(c(o[3], o[7], o[4])), period = num(o[5]),
    coef = num(coef(fit)), coefNames = paste0("[", paste(str1(names(coef(fit))), collapse = ","), "]"),
    loglik = num(fit$loglik), aicc = num(fit$aicc), sigma2 = num(fit$sigma2),
    mean = num(fc$mean),
    lo80 = num(fc$lower[, 1]), hi80 = num(fc$upper[, 1]),
    lo95 = num(fc$lower[, 2]), hi95 = num(fc$upper[, 2]),
    # the differencing tests: urca's KPSS statistic (ndiffs' lags) on the series, and the
    # seasonal strength nsdiffs thresholds at 0.64, on the series and its seasonal difference
    kpss = num(kpss),
    strength = if (m > 1) num(c(forecast:::seas.heuristic(y), forecast:::seas.heuristic(diff(y, lag = m)))) else "null",
    search = arima_search(y)
  )
}

fixed_models <- list(
  AirPassengers = c("MAM", "MNM", "AAA", "MAdM", "ANN"),
  co2 = c("AAA", "AAdA", "MAA", "ANA"),
  nottem = c("AAA", "ANA", "MNA", "MNM"),
  WWWusage = c("ANN", "AAN", "AAdN", "MAN", "MAdN"),
  Nile = c("ANN", "MNN", "AAN")
)

entries <- c()
for (name in names(fixed_models)) {
  y <- get(name)
  fixed <- c()
  for (model in fixed_models[[name]]) {
    damped <- grepl("d", model)
    code <- gsub("d", "", model)
    fit <- ets(y, model = code, damped = damped)
    fixed <- c(fixed, paste0('"', model, '":', ets_entry(fit)))
  }
  entries <- c(entries, paste0('"', name, '":', obj(
    frequency = num(frequency(y)),
    y = num(y),
    auto = ets_entry(ets(y), with_fitted = TRUE),
    fixed = paste0("{", paste(fixed, collapse = ","), "}"),
    theta = theta_entry(y),
    arima = arima_entry(y)
  )))
}
cat(paste0('{"generatedBy":', str1(paste("R", R.version$major, R.version$minor, "forecast", packageVersion("forecast"))),
  ',"horizon":', H, ',"datasets":{', paste(entries, collapse = ","), "}}\n"))
