(** * Univariate polynomials over Q, evaluated at real t; the loss along a polynomial curve.

    A polynomial is its coefficient list, lowest degree first: [c_0; c_1; …] is Σ_k c_k t^k.
    [loss Pops pb curve] is f(t) = L(θ(t)) for the curve θ_i(t) = Σ_k curve_i[k] t^k ([loss_P]).
    [lowest_term] finds the lowest non-zero non-constant term a_k t^k; [lowest_sign] says that near t = 0,
    f(t) − f(0) is a_k t^k up to half of itself. *)
From Coq Require Import List QArith Qabs Qreals Reals Lra.
From Spurious Require Import Loss.
Import ListNotations.

Definition poly := list Q.

Fixpoint peval (p : poly) (t : R) : R :=
  match p with [] => 0%R | c :: p' => (Q2R c + t * peval p' t)%R end.

Fixpoint padd (p q : poly) : poly :=
  match p, q with
  | [], _ => q
  | _, [] => p
  | a :: p', b :: q' => Qred (a + b) :: padd p' q'
  end.

Definition pscale (c : Q) (p : poly) : poly := map (fun a => Qred (c * a)) p.

Fixpoint pmul (p q : poly) : poly :=
  match p with [] => [] | a :: p' => padd (pscale a q) (0%Q :: pmul p' q) end.

Definition popp (p : poly) : poly := map Qopp p.

Definition Pops : Ops poly := mkOps poly padd pmul popp (fun q => [q]).

Lemma peval_add : forall p q t, peval (padd p q) t = (peval p t + peval q t)%R.
Admitted.
Lemma peval_scale : forall c p t, peval (pscale c p) t = (Q2R c * peval p t)%R.
Admitted.
Lemma peval_mul : forall p q t, peval (pmul p q) t = (peval p t * peval q t)%R.
Admitted.
Lemma peval_opp : forall p t, peval (popp p) t = (- peval p t)%R.
Admitted.

(** The loss along a curve: parameter i follows the polynomial [nth i curve []]. *)
Lemma loss_P : forall pb curve t,
  peval (loss Pops pb curve) t = L pb (map (fun c => peval c t) curve).
Admitted.

Fixpoint abssum (p : poly) : Q := match p with [] => 0%Q | c :: p' => Qabs c + abssum p' end.

Lemma peval_bound : forall p t, (Rabs t <= 1)%R -> (Rabs (peval p t) <= Q2R (abssum p))%R.
Admitted.

Lemma peval_0 : forall p, peval p 0 = Q2R (hd 0%Q p).
Admitted.

(** The lowest non-zero term of degree ≥ 1: [Some (k, a_k)] with k ≥ 1, a_k ≠ 0, and every c_j = 0 for 0 < j < k. *)
Fixpoint first_nonzero (k : nat) (p : poly) : option (nat * Q) :=
  match p with
  | [] => None
  | c :: p' => if Qeq_bool c 0 then first_nonzero (S k) p' else Some (k, c)
  end.
Definition lowest_term (p : poly) : option (nat * Q) :=
  match p with [] => None | _ :: p' => first_nonzero 1 p' end.

Lemma lowest_term_spec : forall p k a, lowest_term p = Some (k, a) -> (1 <= k)%nat /\ ~ (a == 0)%Q.
Admitted.

Lemma lowest_sign : forall p k a, lowest_term p = Some (k, a) ->
  exists delta, (0 < delta)%R /\ forall t, (0 < Rabs t < delta)%R ->
    (Rabs (peval p t - peval p 0 - Q2R a * t ^ k) <= Rabs (Q2R a * t ^ k) / 2)%R.
Admitted.
